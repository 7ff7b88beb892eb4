// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: wake_flag.h
// -----------------------------------------------------------------------------
//
// A flag that one thread raises and another waits for, on a futex: the
// namespace threads' hand-offs (namespace_thread.cc), where a wake-up is on
// every call's critical path. A raise is one atomic exchange, plus one
// FUTEX_WAKE only when the waiter sleeps; a wait that finds the flag raised
// makes no system call. A mutex and condition variable pair costs about
// twice as much here (lock, notify, re-lock on both sides). Waits do not
// spin first: on the 2 cores measured, a spinning waiter delays the thread
// it waits for whenever the scheduler put both on one core.
//
// Example:
//
//   gons::internal::WakeFlag ready;
//   std::thread worker([&] { result = Compute(); ready.Raise(); });
//   ready.Wait();  // `result` is written: Raise() releases, Wait() acquires.
//   worker.join();
//
// Internal to gons.

#ifndef GONS_WAKE_FLAG_H_
#define GONS_WAKE_FLAG_H_

#include <atomic>
#include <cstdint>

namespace gons::internal {

// One raiser and one waiter per round; a round ends with Lower().
class WakeFlag {
 public:
  WakeFlag() = default;
  WakeFlag(const WakeFlag&) = delete;
  WakeFlag& operator=(const WakeFlag&) = delete;

  // Raises the flag and wakes the thread waiting for it, if any. What the
  // calling thread wrote before is visible to the waiter once Wait()
  // returns. The waiter may destroy the flag as soon as Wait() returns,
  // even while Raise() is still in its FUTEX_WAKE (the kernel then wakes no
  // one, or sends a spurious wake-up that futex users tolerate).
  // Thread-safe; never fails.
  void Raise();

  // Returns once the flag is raised (at once when it already is). Sleeps in
  // FUTEX_WAIT; where the kernel refuses futexes (a seccomp filter), it
  // polls with sched_yield() instead, slower but still correct. One waiter
  // at a time. Thread-safe.
  void Wait();

  // Returns whether the flag is raised, without waiting. Thread-safe.
  bool IsRaised() const;

  // Lowers the flag for another round. Only the waiting thread may call it,
  // after its Wait() returned and before the next Raise() can happen.
  void Lower();

 private:
  // 0: lowered; 1: raised; 2: lowered, and the waiter sleeps (or is about
  // to). A 32-bit word, as futexes are.
  std::atomic<std::uint32_t> word_{0};
};

}  // namespace gons::internal

#endif  // GONS_WAKE_FLAG_H_
