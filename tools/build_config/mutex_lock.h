// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// LockMutex(): an absl::MutexLock that builds with every Abseil the project
// supports. Abseil 20260526 (Debian sid) deprecates MutexLock(Mutex*) for
// MutexLock(Mutex&), which Abseil 20220623 (Debian 12) does not have; the
// warning policy turns the deprecation into an error.
//
// Example:
//   ABSL_CONST_INIT absl::Mutex mutex(absl::kConstInit);
//   const auto lock = gons::internal::LockMutex(mutex);

#ifndef GONS_TOOLS_BUILD_CONFIG_MUTEX_LOCK_H_
#define GONS_TOOLS_BUILD_CONFIG_MUTEX_LOCK_H_

#include <type_traits>

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

}  // namespace gons::internal

#endif  // GONS_TOOLS_BUILD_CONFIG_MUTEX_LOCK_H_
