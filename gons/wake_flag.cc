// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "gons/wake_flag.h"

#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>

namespace gons::internal {
namespace {

constexpr std::uint32_t kLowered = 0;
constexpr std::uint32_t kRaised = 1;
constexpr std::uint32_t kSleeping = 2;  // Lowered, and a waiter sleeps.

// The futex word as the kernel sees it: std::atomic<uint32_t> is lock-free
// and has the layout of a uint32_t, as glibc's own futex users assume.
std::uint32_t* FutexWord(std::atomic<std::uint32_t>* word) {
  static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));
  static_assert(std::atomic<std::uint32_t>::is_always_lock_free);
  return reinterpret_cast<std::uint32_t*>(word);
}

}  // namespace

void WakeFlag::Raise() {
  if (word_.exchange(kRaised, std::memory_order_acq_rel) != kSleeping) return;
  // The result is not needed: a waiter that the kernel did not wake polls
  // (Wait()).
  (void)syscall(SYS_futex, FutexWord(&word_), FUTEX_WAKE_PRIVATE, 1, nullptr,
                nullptr, 0);
}

void WakeFlag::Wait() {
  for (;;) {
    std::uint32_t seen = word_.load(std::memory_order_acquire);
    if (seen == kRaised) return;
    if (seen == kLowered && !word_.compare_exchange_strong(
                                seen, kSleeping, std::memory_order_acquire)) {
      continue;  // Raised meanwhile.
    }
    // Sleeps only while the word still reads kSleeping, so a Raise() between
    // the load and this call is not lost (EAGAIN).
    if (syscall(SYS_futex, FutexWord(&word_), FUTEX_WAIT_PRIVATE, kSleeping,
                nullptr, nullptr, 0) != 0 &&
        errno != EAGAIN && errno != EINTR) {
      (void)sched_yield();  // Always succeeds on Linux.
    }
  }
}

bool WakeFlag::IsRaised() const {
  return word_.load(std::memory_order_acquire) == kRaised;
}

void WakeFlag::Lower() { word_.store(kLowered, std::memory_order_relaxed); }

}  // namespace gons::internal
