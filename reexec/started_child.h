// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: started_child.h
// -----------------------------------------------------------------------------
//
// What the runner's wait loop (child_process.h) needs of a started child: a
// descriptor that becomes readable once the child has ended, a kill, and a
// reap that says how it ended. Two kinds provide it: a re-executed child
// owned by a ChildOwner (SpawnedChild, below), and a copy forked by the
// fork server (see fork_server.h), whose helper owns and reaps it.
//
// Example:
//
//   absl::StatusOr<ChildOwner> owner = ChildOwner::Start(spec);
//   if (!owner.ok()) return owner.status();
//   std::unique_ptr<StartedChild> child =
//       std::make_unique<SpawnedChild>(*std::move(owner));
//   poll(...child->ended_fd()...);
//   absl::StatusOr<siginfo_t> ended = child->Reap();
//
// Internal to reexec.

#ifndef GONS_REEXEC_STARTED_CHILD_H_
#define GONS_REEXEC_STARTED_CHILD_H_

#include <signal.h>

#include <functional>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "reexec/child_owner.h"

namespace gons::reexec::internal {

// A running child and the means to end it. Destroying one kills it and
// waits until it is reaped, unless Reap() succeeded. Not thread-safe: one
// thread at a time uses a child.
class StartedChild {
 public:
  virtual ~StartedChild() = default;
  // Returns a descriptor that polls readable (POLLIN) once Reap() will not
  // block.
  virtual int ended_fd() const = 0;
  // Kills the child and its process group; nothing once reaped. Returns
  // OK when the kill was sent or nothing was left to kill; otherwise the
  // status of errno (kPermissionDenied for a child that made itself another
  // user's), as ChildOwner::Kill() does.
  virtual absl::Status Kill() = 0;
  // Waits for the child's end and returns it (si_code CLD_EXITED with
  // si_status, or CLD_KILLED/CLD_DUMPED with the signal). Fails with
  // kFailedPrecondition or kInternal as ChildOwner::Reap() does, and, for a
  // forked copy, with kUnavailable when its helper ended first.
  virtual absl::StatusOr<siginfo_t> Reap() = 0;
};

// Starts a child for a ChildSpec, in place of ChildOwner::Start().
using ChildStarter =
    std::function<absl::StatusOr<std::unique_ptr<StartedChild>>(
        const ChildSpec& spec)>;

// A re-executed child, owned by its ChildOwner.
class SpawnedChild final : public StartedChild {
 public:
  explicit SpawnedChild(ChildOwner owner) : owner_(std::move(owner)) {}
  int ended_fd() const override { return owner_.pidfd(); }
  absl::Status Kill() override { return owner_.Kill(); }
  absl::StatusOr<siginfo_t> Reap() override { return owner_.Reap(); }

 private:
  ChildOwner owner_;  // Kills and reaps on destruction.
};

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_STARTED_CHILD_H_
