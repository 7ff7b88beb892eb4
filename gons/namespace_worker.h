// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: namespace_worker.h
// -----------------------------------------------------------------------------
//
// The worker threads of gons::RunInNamespaces (namespace_thread.h) and the
// call they are handed. A worker's life, from a call's point of view:
//   1. Started by a caller for its call when the pool (namespace_worker_
//      pool.h) has none at the caller's Place: unshare(CLONE_FS), then it
//      notes its own Place and credentials (Prepare()).
//   2. RunTask(): open its own namespaces of the types asked for, run the
//      switcher (RunSwitcher(), the code that runs before main() elsewhere)
//      on the entries, run the body when it entered everything, switch
//      back, close.
//   3. The caller is woken with the value (Finish()), the worker now in the
//      pool as checking; or, when it could not switch back, the call asked
//      for no reuse, or the pool is full, the worker ends and the caller
//      joins it.
//   4. After the caller has gone on, the worker compares its Place and
//      credentials with those it noted (IsBackHome(), opening no
//      descriptor) and tells the pool (Pool::Checked()). Back home: it runs
//      the call handed to it meanwhile, or waits idle for one. Not: it never
//      serves again and ends; a call handed to it meanwhile is refused back
//      to its caller, which joins it and asks the pool again; otherwise the
//      pool lists it as exited, and the next call from any thread joins it.
// A caller waits for steps 2 and 3 only: the proof of step 4 costs it
// nothing unless it calls again before the proof is over, and then only
// when no idle worker is at its Place.
//
// Internal to gons; use gons/namespace_thread.h.

#ifndef GONS_NAMESPACE_WORKER_H_
#define GONS_NAMESPACE_WORKER_H_

#include <memory>
#include <mutex>
#include <thread>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "gons/namespace_types.h"
#include "gons/thread_place.h"
#include "gons/wake_flag.h"

namespace gons::internal {

// One call, prepared by the caller and run by a worker. Lives on the
// caller's stack until `done` is raised and the caller has seen it.
struct Task {
  explicit Task(absl::FunctionRef<void()> task_body) : body(task_body) {
    for (int& fd : original) fd = -1;
  }

  char** environment = nullptr;  // The switcher's entries, null-terminated.
  bool requested[kNumNamespaceTypes] = {};
  bool reuse = true;  // The worker may be kept after this call.
  absl::FunctionRef<void()> body;
  // The caller's descriptors of its own namespaces of the types requested,
  // which are the worker's too (same Place), or -1: the worker opens its
  // own. Owned by the caller, which closes them once `done`.
  int original[kNumNamespaceTypes];
  absl::Status status;  // Of the switch; written by the worker.
  // Written by the worker before it raises `done`:
  bool worker_exits = false;  // The worker ends: the caller joins it.
  // Not run: the worker failed its check before it could start it. The
  // caller joins it and asks again.
  bool refused = false;
  WakeFlag done;
};

// How a worker hands a task back (Finish()).
enum class Outcome { kWorkerStays, kWorkerExits, kRefused };

// Returns the status of a failed open (errno `error`) of the calling
// thread's own namespace of `type_index`. Thread-safe.
absl::Status OwnNamespaceOpenError(int type_index, int error);

// Hands `task` back to its caller; the worker must not touch it afterwards.
void Finish(Task& task, Outcome outcome);

// A thread that runs calls in other namespaces, and after each switches
// back and proves it is back (see the file comment). Owned by shared_ptr:
// the pool, the caller that got it and its own thread hold it.
class Worker {
 public:
  // What the pool knows of a worker; changed under the pool's lock only.
  enum class State {
    kBusy,      // Running a call, or about to: not in the pool.
    kChecking,  // In the pool, proving that it is back (step 4).
    kIdle,      // In the pool, back home, waiting on `wake`.
  };

  // Returns where the worker serves; set before it is first kept, constant.
  const Place& place() const { return place_; }

  // Starts the thread of this new worker on `first`. `self` owns it.
  absl::Status Start(const std::shared_ptr<Worker>& self, Task* first);

  // Waits for the thread of a worker that ends (Task::worker_exits,
  // Task::refused, or the pool's exited list). Not from the worker itself.
  void Join() { thread_.join(); }

  // The pool's record of this worker, under the pool's lock.
  State state = State::kBusy;
  Task* next = nullptr;  // The call handed to it while kChecking or kIdle.
  WakeFlag wake;         // Raised when `next` is handed to a kIdle worker.

 private:
  // The worker thread's life: prepares, then runs `first` and every task
  // handed to it later, until one leaves it away from home or it is not
  // kept. `self` is the pool's handle on this worker.
  void Main(const std::shared_ptr<Worker>& self, Task* first);
  // Returns why the worker cannot run calls, or OK.
  // `reusable`: the worker may serve more than one call, so it notes where
  // it is; a worker for one call only has no use for it.
  absl::Status Prepare(bool reusable);
  // Runs `task` up to switching back; returns whether every switch back
  // succeeded (the proof that the worker is home is IsBackHome()).
  bool RunTask(Task& task);
  // Whether every namespace and the root are those noted by Prepare(), and
  // so are its credentials. Opens no descriptor: the caller may already be
  // counting them.
  bool IsBackHome() const {
    Place now;
    Credentials credentials;
    return ReadPlaceHoldingNoDescriptor(&now) == 0 && now == place_ &&
           ReadCredentials(&credentials) && credentials == credentials_;
  }
  // Waits, idle, for the call the pool hands over.
  Task* WaitForTask();

  std::thread thread_;      // Written by Start() under start_mutex_.
  std::mutex start_mutex_;  // Held by Start() until thread_ is written.
  Place place_;  // Written by Prepare(), before the worker is in the pool.
  Credentials credentials_;  // Likewise.
};

}  // namespace gons::internal

#endif  // GONS_NAMESPACE_WORKER_H_
