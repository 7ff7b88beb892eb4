// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The entry point of gons::RunInNamespaces: checks the set, then hands the
// call to a worker (namespace_worker.h) that the pool
// (namespace_worker_pool.h) has at the caller's Place, or starts one.

#include "gons/namespace_thread.h"

#include <unistd.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gons/namespace_types.h"
#include "gons/namespace_worker.h"
#include "gons/namespace_worker_pool.h"
#include "gons/thread_place.h"

namespace gons::internal {
namespace {

// Checks what a thread can enter and builds the switcher's entries
// (`gons_net=PATH`, ...) into `entries`.
absl::Status ValidateSet(const NamespaceSet& set, Task* task,
                         std::vector<std::string>* entries) {
  for (const NamespacePath& requested : set) {
    const int type_index =
        FindNamespaceTypeIndex(requested.type.data(), requested.type.size());
    if (type_index < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "gons: unknown namespace type \"", absl::CEscape(requested.type),
          "\"; a thread enters mnt, cgroup, ipc, net and uts; nothing was "
          "switched"));
    }
    const char* name = kNamespaceTypes[type_index].name;
    if (!IsThreadType(type_index)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "gons: a ", name,
          " namespace cannot be entered by a thread: setns() allows user, "
          "pid and time namespaces only to a single-threaded process (or "
          "affects only children); run the action with "
          "gons::reexec::RunReexecAction instead; nothing was switched"));
    }
    if (task->requested[type_index]) {
      return absl::InvalidArgumentError(
          absl::StrCat("gons: the ", name,
                       " namespace is given twice; nothing was switched"));
    }
    if (requested.path.empty() || requested.path.front() != '/' ||
        requested.path.find('\0') != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "gons: the path of the ", name, " namespace, \"",
          absl::CEscape(requested.path.substr(0, 200)),
          "\", is not an absolute path without NUL bytes (the namespace "
          "thread has its own working directory); nothing was switched"));
    }
    task->requested[type_index] = true;
    entries->push_back(absl::StrCat(kNamespaceTypes[type_index].variable, "=",
                                    requested.path));
  }
  return absl::OkStatus();
}

// Closes the descriptors of an array (-1: none) when it goes.
class OwnedDescriptors {
 public:
  explicit OwnedDescriptors(int (&fds)[kNumNamespaceTypes]) : fds_(fds) {}
  OwnedDescriptors(const OwnedDescriptors&) = delete;
  OwnedDescriptors& operator=(const OwnedDescriptors&) = delete;
  ~OwnedDescriptors() {
    for (const int fd : fds_) {
      if (fd >= 0) close(fd);  // Read-only namespace file: nothing to lose.
    }
  }

 private:
  int (&fds_)[kNumNamespaceTypes];
};

}  // namespace

absl::Status RunOnNamespaceThread(const NamespaceSet& set,
                                  const NamespaceThreadOptions& options,
                                  absl::FunctionRef<void()> body) {
  Task task(body);
  task.reuse = options.reuse_thread;
  std::vector<std::string> entries;
  if (absl::Status valid = ValidateSet(set, &task, &entries); !valid.ok()) {
    return valid;
  }
  std::vector<char*> environment;
  environment.reserve(entries.size() + 1);
  for (std::string& entry : entries) environment.push_back(entry.data());
  environment.push_back(nullptr);
  task.environment = environment.data();

  if (!options.reuse_thread) {
    // It exits after this call: its end is the only wake-up needed.
    const auto worker = std::make_shared<Worker>();
    if (absl::Status started = worker->Start(worker, &task); !started.ok()) {
      return started;
    }
    worker->Join();
    return std::move(task.status);
  }
  // The caller's own namespaces of the types asked for are the worker's
  // (same Place): the descriptors it opens while reading its Place spare the
  // worker opening them. A caller whose place cannot be read gets a fresh
  // worker, whose own attempt to read it reports why.
  Place place;
  int failed_open = -1;
  const int read_error =
      ReadPlaceAndOpen(&place, task.requested, task.original, &failed_open);
  if (failed_open >= 0) return OwnNamespaceOpenError(failed_open, read_error);
  const bool placed = read_error == 0;
  const OwnedDescriptors originals(task.original);
  for (;;) {
    std::vector<std::shared_ptr<Worker>> exited;
    std::shared_ptr<Worker> worker =
        ThePool().Assign(placed ? &place : nullptr, &task, &exited);
    absl::Status started = absl::OkStatus();
    if (worker == nullptr) {
      worker = std::make_shared<Worker>();
      started = worker->Start(worker, &task);
    }
    // While the worker runs the call: these have ended, or are ending.
    for (const std::shared_ptr<Worker>& ended : exited) ended->Join();
    if (!started.ok()) return started;
    task.done.Wait();
    if (task.refused) {
      // Nothing of the call ran; the worker that refused it has ended.
      worker->Join();
      task.refused = false;
      task.done.Lower();
      continue;
    }
    if (task.worker_exits) worker->Join();
    return std::move(task.status);
  }
}

int IdleNamespaceThreadCount() { return ThePool().IdleCount(); }

int ExitedNamespaceThreadCount() { return ThePool().ExitedCount(); }

}  // namespace gons::internal
