// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: namespace_worker_pool.h
// -----------------------------------------------------------------------------
//
// The workers of namespace_worker.h that can take a call: idle ones, and
// ones still proving they are back after their last call; and those that
// failed the proof with no call to refuse, until a caller joins them. One
// lock guards it and every worker's state, never held across a wait or a
// join. fork() handlers hold it across every fork(), so that a child never
// inherits it locked; the child forgets the parent's workers (their threads
// do not exist there).
//
// Internal to gons; use gons/namespace_thread.h.

#ifndef GONS_NAMESPACE_WORKER_POOL_H_
#define GONS_NAMESPACE_WORKER_POOL_H_

#include <sys/types.h>
#include <unistd.h>

#include <memory>
#include <mutex>
#include <vector>

#include "gons/namespace_worker.h"
#include "gons/thread_place.h"

namespace gons::internal {

// The workers that can take a call (idle or checking), and those that
// failed their check with no call to refuse, for a later call to join.
// Never destroyed: idle workers wait in it until the process exits.
class Pool {
 public:
  // Registers the fork handlers; without them no worker is kept.
  Pool();

  // Joins nothing itself: moves the exited workers into `exited` for the
  // caller to join. Then, when `place` is not null, hands `task` to a
  // worker at `place` and returns it: an idle one (woken), or else one
  // still checking (which runs it once back, or refuses it). Null: none.
  std::shared_ptr<Worker> Assign(const Place* place, Task* task,
                                 std::vector<std::shared_ptr<Worker>>* exited);
  // Puts `worker`, which has just switched back, into the pool as
  // checking; false when the pool is full (or fork is not handled).
  bool KeepChecking(const std::shared_ptr<Worker>& worker);
  // Takes the result of `worker`'s check. Home: returns the call handed to
  // it meanwhile, or null with the worker now idle. Not home: returns null;
  // `*refused` is the call handed to it meanwhile, or null with the worker
  // now in the exited list.
  Task* Checked(const std::shared_ptr<Worker>& worker, bool home,
                Task** refused);
  // Returns the call handed to an idle worker whose `wake` was raised.
  Task* TakeNext(Worker& worker) {
    const std::lock_guard<std::mutex> lock(mutex_);
    Task* task = worker.next;
    worker.next = nullptr;
    return task;
  }
  // Returns how many workers are available (idle or checking). Thread-safe.
  int IdleCount() {
    const std::lock_guard<std::mutex> lock(mutex_);
    ForgetAfterFork();
    return static_cast<int>(available_.size());
  }
  // Returns how many workers are listed as exited, not joined yet.
  // Thread-safe.
  int ExitedCount() {
    const std::lock_guard<std::mutex> lock(mutex_);
    ForgetAfterFork();
    return static_cast<int>(exited_.size());
  }

 private:
  // fork() while a worker holds the lock would leave it held in the child
  // for good: the handlers hold it across every fork().
  static void LockForFork();
  static void UnlockAfterFork();
  // In the child of a fork() the workers' threads do not exist: their
  // records are left alone (a joinable std::thread must not be destroyed)
  // and never handed out or joined.
  void ForgetAfterFork();

  std::mutex mutex_;
  std::vector<std::shared_ptr<Worker>> available_;  // Back is newest.
  std::vector<std::shared_ptr<Worker>> exited_;
  pid_t owner_ = getpid();
  bool fork_handled_ = false;  // Written by the constructor only.
};

// Returns the process's pool. Thread-safe.
Pool& ThePool();

}  // namespace gons::internal

#endif  // GONS_NAMESPACE_WORKER_POOL_H_
