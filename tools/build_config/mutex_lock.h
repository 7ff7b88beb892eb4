// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// LockMutex(), TryLockMutex() and UnlockMutex(): absl::Mutex locking that
// builds with every Abseil the project supports. Abseil 20260526 (Debian
// sid) deprecates MutexLock(Mutex*) for MutexLock(Mutex&), and TryLock() and
// Unlock() for the standard try_lock() and unlock(), none of which Abseil
// 20220623 (Debian 12) has; the warning policy turns each deprecation into
// an error.
//
// Example:
//   ABSL_CONST_INIT absl::Mutex mutex(absl::kConstInit);
//   const auto lock = gons::internal::LockMutex(mutex);
//   ...
//   if (gons::internal::TryLockMutex(mutex)) {  // Where a scope cannot own
//     ...                                       // the lock.
//     gons::internal::UnlockMutex(mutex);
//   }

#ifndef GONS_TOOLS_BUILD_CONFIG_MUTEX_LOCK_H_
#define GONS_TOOLS_BUILD_CONFIG_MUTEX_LOCK_H_

#include <type_traits>
#include <utility>

#include "absl/synchronization/mutex.h"

namespace gons::internal {

// Locks `mutex` until the returned lock goes out of scope. Thread-safe, as
// absl::MutexLock is. The discarded branch is never compiled.
template <typename Lock = absl::MutexLock>
Lock LockMutex(absl::Mutex& mutex) {
  if constexpr (std::is_constructible_v<Lock, absl::Mutex&>) {
    return Lock(mutex);
  } else {
    return Lock(&mutex);
  }
}

// Whether `M` has the standard Lockable names, try_lock() and unlock().
template <typename M, typename = void>
struct HasStandardLockNames : std::false_type {};
template <typename M>
struct HasStandardLockNames<
    M, std::void_t<decltype(std::declval<M&>().try_lock())>> : std::true_type {
};

// Locks `mutex` if no thread holds it, and returns whether it did.
// Thread-safe, as absl::Mutex is.
template <typename M = absl::Mutex>
bool TryLockMutex(M& mutex) {
  if constexpr (HasStandardLockNames<M>::value) {
    return mutex.try_lock();
  } else {
    return mutex.TryLock();
  }
}

// Unlocks `mutex`, which the calling thread holds. Thread-safe, as
// absl::Mutex is.
template <typename M = absl::Mutex>
void UnlockMutex(M& mutex) {
  if constexpr (HasStandardLockNames<M>::value) {
    mutex.unlock();
  } else {
    mutex.Unlock();
  }
}

}  // namespace gons::internal

#endif  // GONS_TOOLS_BUILD_CONFIG_MUTEX_LOCK_H_
