// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: pinned_process.h
// -----------------------------------------------------------------------------
//
// A target process held by a pidfd, so that nsinspect notices when it has
// exited (a zombie, or a process in the middle of exiting whose namespaces
// are already released) and never inspects a process that later got the
// same PID: while the pidfd says "alive", /proc/PID is still that process.
//
// Example:
//
//   absl::StatusOr<std::shared_ptr<PinnedProcess>> target =
//       PinnedProcess::Open(4711);
//   ... open /proc/4711/ns/* ...
//   if (absl::Status alive = (*target)->CheckAlive(); !alive.ok()) ...

#ifndef GONS_TOOLS_NSINSPECT_PINNED_PROCESS_H_
#define GONS_TOOLS_NSINSPECT_PINNED_PROCESS_H_

#include <sys/types.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gons::nsinspect {

class PinnedProcess {
 public:
  // Opens a pidfd for `pid`. Fails with kNotFound (no such process) or
  // kFailedPrecondition (it has already exited: a zombie), or the errno's
  // code if pidfd_open(2) fails otherwise. Thread-safe.
  static absl::StatusOr<std::shared_ptr<PinnedProcess>> Open(pid_t pid);

  PinnedProcess(const PinnedProcess&) = delete;
  PinnedProcess& operator=(const PinnedProcess&) = delete;
  ~PinnedProcess();

  // Returns OK while the process has not exited, else kFailedPrecondition
  // naming why (a zombie not yet reaped, or gone). Thread-safe.
  absl::Status CheckAlive() const;

  // Returns the process's state letter from /proc/PID/stat ('R', 'S', 'Z',
  // ...), or '?' when it cannot be read. Thread-safe.
  char State() const;

  pid_t pid() const { return pid_; }

 private:
  PinnedProcess(pid_t pid, int pidfd) : pid_(pid), pidfd_(pidfd) {}

  pid_t pid_;
  int pidfd_;
};

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_PINNED_PROCESS_H_
