// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "gons/namespace_worker.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gons/namespace_types.h"
#include "gons/namespace_worker_pool.h"
#include "gons/record_status.h"
#include "gons/startup_record.h"
#include "gons/switcher.h"
#include "gons/thread_place.h"

namespace gons::internal {
namespace {

// The switcher's system calls, but for a thread: the caller asked for these
// namespaces in code (no environment chose them, so AT_SECURE does not
// apply), and the types allowed here need no single-threaded process.
const SystemCalls& ThreadSystemCalls() {
  static const SystemCalls calls = [] {
    SystemCalls thread_calls = kSystemCalls;
    thread_calls.count_threads = [] { return 1L; };
    thread_calls.secure_execution = [] { return false; };
    return thread_calls;
  }();
  return calls;
}

// The codes gons::RunInNamespaces documents for an errno of its own calls.
absl::StatusCode CodeForWorkerErrno(int error_number) {
  switch (error_number) {
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case EAGAIN:
      return absl::StatusCode::kResourceExhausted;
    default:
      return absl::StatusCode::kFailedPrecondition;
  }
}

std::string DescribeErrno(int error_number) {
  const char* name = strerrorname_np(error_number);
  return absl::StrCat(
      std::strerror(error_number), " (",
      name != nullptr ? name : absl::StrCat("errno ", error_number), ")");
}

}  // namespace

void Finish(Task& task, Outcome outcome) {
  task.worker_exits = outcome == Outcome::kWorkerExits;
  task.refused = outcome == Outcome::kRefused;
  task.done.Raise();  // The caller may return from here on: `task` is gone.
}

absl::Status Worker::Prepare(bool reusable) {
  // The mount switch needs filesystem attributes (root, working directory)
  // that no other thread shares.
  if (unshare(CLONE_FS) != 0) {
    const int error = errno;
    return absl::Status(
        CodeForWorkerErrno(error),
        absl::StrCat("gons: the namespace thread could not get its own "
                     "filesystem attributes: unshare(CLONE_FS): ",
                     DescribeErrno(error)));
  }
  if (const int error = reusable ? ReadPlace(&place_) : 0; error != 0) {
    return absl::Status(
        CodeForWorkerErrno(error),
        absl::StrCat("gons: the namespace thread could not read where it "
                     "is: its namespaces' links in /proc/thread-self/ns and "
                     "its root: ",
                     DescribeErrno(error),
                     " (is /proc mounted?); nothing was switched"));
  }
  if (reusable && !ReadCredentials(&credentials_)) {
    const int error = errno;
    return absl::Status(
        CodeForWorkerErrno(error),
        absl::StrCat("gons: the namespace thread could not read its "
                     "credentials (getresuid, getresgid, capget): ",
                     DescribeErrno(error), "; nothing was switched"));
  }
  return absl::OkStatus();
}

absl::Status OwnNamespaceOpenError(int type_index, int error) {
  return absl::Status(
      CodeForWorkerErrno(error),
      absl::StrCat("gons: the namespace thread could not open its own ",
                   kNamespaceTypes[type_index].name,
                   " namespace: ", OwnNamespacePath(type_index), ": ",
                   DescribeErrno(error), "; nothing was switched"));
}

bool Worker::RunTask(Task& task) {
  // Descriptors of the worker's own namespaces, opened before any switch so
  // that the way back does not depend on the paths of the namespaces
  // entered: the caller's (Task::original), or else its own, opened here.
  int original[kNumNamespaceTypes];
  int own[kNumNamespaceTypes];
  for (int& fd : own) fd = -1;
  const auto close_own = [&own] {
    for (int& fd : own) {
      if (fd >= 0) close(fd);  // Read-only namespace file: nothing to lose.
      fd = -1;
    }
  };
  for (const int type_index : kThreadTypes) {
    original[type_index] = task.original[type_index];
    if (!task.requested[type_index] || original[type_index] >= 0) continue;
    own[type_index] =
        open(OwnNamespacePath(type_index).c_str(), O_RDONLY | O_CLOEXEC);
    if (own[type_index] < 0) {
      const int error = errno;
      close_own();
      task.status = OwnNamespaceOpenError(type_index, error);
      return true;  // Nothing switched; the check still proves it.
    }
    original[type_index] = own[type_index];
  }

  StartupRecord record = {};
  RunSwitcher(task.environment, ThreadSystemCalls(), &record);
  task.status = StatusFromRecord(record);
  if (task.status.ok()) task.body();

  // Before the caller is told, so that no descriptor of the call is open
  // once it returns, and its namespaces are not held by this thread.
  bool switched_back = true;
  for (int position = record.entered_count - 1; position >= 0; --position) {
    const int type_index = record.entered_sequence[position];
    if (setns(original[type_index], kNamespaceTypes[type_index].clone_flag) !=
        0) {
      switched_back = false;
    }
  }
  close_own();
  return switched_back;
}

Task* Worker::WaitForTask() {
  wake.Wait();
  wake.Lower();  // Not raised again before this worker is idle again.
  return ThePool().TakeNext(*this);
}

absl::Status Worker::Start(const std::shared_ptr<Worker>& self, Task* first) {
  const std::lock_guard<std::mutex> lock(start_mutex_);
  try {
    thread_ = std::thread([self, first] { self->Main(self, first); });
  } catch (const std::system_error& error) {
    return absl::ResourceExhaustedError(
        absl::StrCat("gons: could not start a namespace thread: ", error.what(),
                     "; nothing was switched"));
  }
  return absl::OkStatus();
}

void Worker::Main(const std::shared_ptr<Worker>& self, Task* first) {
  // Start() has assigned thread_ once this lock is had; any other thread
  // that joins this worker finds it through the pool, later.
  { const std::lock_guard<std::mutex> started(start_mutex_); }
  if (absl::Status prepared = Prepare(first->reuse); !prepared.ok()) {
    first->status = std::move(prepared);
    return Finish(*first, Outcome::kWorkerExits);
  }
  for (Task* task = first;;) {
    const bool switched_back = RunTask(*task);
    // In the pool, as checking, before the caller is told, so that the
    // caller's next call finds it.
    if (!switched_back || !task->reuse || !ThePool().KeepChecking(self)) {
      return Finish(*task, Outcome::kWorkerExits);
    }
    Finish(*task, Outcome::kWorkerStays);
    const bool home = IsBackHome();
    Task* refused = nullptr;
    task = ThePool().Checked(self, home, &refused);
    if (!home) {
      if (refused != nullptr) Finish(*refused, Outcome::kRefused);
      return;
    }
    if (task == nullptr) task = WaitForTask();
  }
}

}  // namespace gons::internal
