// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "gons/namespace_worker_pool.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <iterator>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "gons/namespace_thread.h"
#include "gons/namespace_worker.h"
#include "gons/thread_place.h"

namespace gons::internal {
namespace {

// The pool the fork handlers lock, set before they are registered.
std::atomic<Pool*> fork_pool{nullptr};

}  // namespace

Pool::Pool() {
  fork_pool.store(this, std::memory_order_release);
  fork_handled_ =
      pthread_atfork(&LockForFork, &UnlockAfterFork, &UnlockAfterFork) == 0;
}

void Pool::LockForFork() {
  fork_pool.load(std::memory_order_acquire)->mutex_.lock();
}

void Pool::UnlockAfterFork() {
  fork_pool.load(std::memory_order_acquire)->mutex_.unlock();
}

void Pool::ForgetAfterFork() {
  const pid_t process = getpid();
  if (process == owner_) return;
  static auto* const orphans = new std::vector<std::shared_ptr<Worker>>;
  orphans->insert(orphans->end(), available_.begin(), available_.end());
  orphans->insert(orphans->end(), exited_.begin(), exited_.end());
  available_.clear();
  exited_.clear();
  owner_ = process;
}

std::shared_ptr<Worker> Pool::Assign(
    const Place* place, Task* task,
    std::vector<std::shared_ptr<Worker>>* exited) {
  std::shared_ptr<Worker> worker;
  bool idle = false;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    ForgetAfterFork();
    exited->swap(exited_);
    if (place == nullptr) return nullptr;
    // An idle worker first: a checking one makes its caller wait out the
    // rest of its check, and may fail it.
    auto found = available_.rend();
    for (const Worker::State wanted :
         {Worker::State::kIdle, Worker::State::kChecking}) {
      found = std::find_if(available_.rbegin(), available_.rend(),
                           [&](const std::shared_ptr<Worker>& candidate) {
                             return candidate->state == wanted &&
                                    candidate->place() == *place;
                           });
      if (found != available_.rend()) break;
    }
    if (found == available_.rend()) return nullptr;
    worker = std::move(*found);
    available_.erase(std::next(found).base());
    idle = worker->state == Worker::State::kIdle;
    worker->state = Worker::State::kBusy;
    worker->next = task;
  }
  // Outside the lock, so that the woken worker does not wait for it.
  if (idle) worker->wake.Raise();
  return worker;
}

bool Pool::KeepChecking(const std::shared_ptr<Worker>& worker) {
  const std::lock_guard<std::mutex> lock(mutex_);
  ForgetAfterFork();
  if (!fork_handled_ ||
      static_cast<int>(available_.size()) >= kMaxIdleNamespaceThreads) {
    return false;
  }
  worker->state = Worker::State::kChecking;
  available_.push_back(worker);
  return true;
}

Task* Pool::Checked(const std::shared_ptr<Worker>& worker, bool home,
                    Task** refused) {
  const std::lock_guard<std::mutex> lock(mutex_);
  Task* next = worker->next;
  worker->next = nullptr;
  if (home) {
    // A worker handed a call has left available_ already (Assign()).
    worker->state =
        next != nullptr ? Worker::State::kBusy : Worker::State::kIdle;
    return next;
  }
  *refused = next;
  if (next == nullptr) {
    // Still in available_: no call took it.
    const auto kept = std::find(available_.begin(), available_.end(), worker);
    if (kept != available_.end()) available_.erase(kept);
    exited_.push_back(worker);
  }
  worker->state = Worker::State::kBusy;  // Never handed out again.
  return nullptr;
}

Pool& ThePool() {
  static Pool* const pool = new Pool;
  return *pool;
}

}  // namespace gons::internal
