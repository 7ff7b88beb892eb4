// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: target.h
// -----------------------------------------------------------------------------
//
// What nsinspect is asked to look into, and how that becomes the list of
// namespaces for its re-executed child. Resolving a target checks every
// namespace file before anything is started, so that bad input gets a
// one-line error naming the target and the cause (no such process, not a
// namespace, a namespace of another type, no permission), and leaves out
// the namespaces nsinspect is already in: entering one's own user namespace
// again fails (EINVAL), and entering any other again only costs time.
//
// Example:
//
//   TargetSpec spec = PidTarget(4711);
//   absl::StatusOr<ResolvedTarget> target = ResolveTarget(spec);
//   // target->namespaces: {"user", "/proc/4711/ns/user", 4026532177, false},
//   //                     {"ipc", "/proc/4711/ns/ipc", 4026531839, true}, ...

#ifndef GONS_TOOLS_NSINSPECT_TARGET_H_
#define GONS_TOOLS_NSINSPECT_TARGET_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reexec/options.h"
#include "tools/nsinspect/pinned_process.h"

namespace gons::nsinspect {

// One namespace file given for a target.
struct NamespacePath {
  std::string type;  // "net", "mnt", ... as in /proc/PID/ns.
  std::string path;
  // For `--inode N`: N, which the file at `path` must still be. The type
  // and path are found by a scan of the host (discovery.h); both are
  // empty when it found no namespace of that inode.
  std::uint64_t inode = 0;
};

// One target as given on the command line: a process (all its namespaces)
// or a set of namespace files.
struct TargetSpec {
  std::string label;  // How the target was written, for messages.
  std::optional<pid_t> pid;
  std::vector<NamespacePath> paths;
};

// Returns the target for all namespaces of process `pid`.
TargetSpec PidTarget(pid_t pid);

// A descriptor nsinspect keeps open; closed when the last copy goes.
class HeldDescriptor {
 public:
  explicit HeldDescriptor(int fd) : fd_(fd) {}
  HeldDescriptor(const HeldDescriptor&) = delete;
  HeldDescriptor& operator=(const HeldDescriptor&) = delete;
  ~HeldDescriptor();
  int fd() const { return fd_; }

 private:
  int fd_;
};

// One namespace of a resolved target.
struct TargetNamespace {
  std::string type;
  std::string path;
  std::uint64_t id = 0;     // Its inode number.
  bool already_in = false;  // nsinspect's children start in it anyway.
  // The namespace file that was checked, held open so that the child enters
  // exactly it (through /proc/NSINSPECT_PID/fd/N), whatever `path` names
  // later, and so that a path such as /proc/self/fd/3 means nsinspect's
  // descriptor, not the child's.
  std::shared_ptr<const HeldDescriptor> held;
};

// A target whose namespace files were all checked.
struct ResolvedTarget {
  std::vector<TargetNamespace> namespaces;  // In switching order.
  // For a --pid target: the process, pinned by a pidfd.
  std::shared_ptr<const PinnedProcess> process;
};

// Checks every namespace file of `spec` and finds the ones nsinspect is
// already in. Fails with kNotFound (no such process or path),
// kPermissionDenied, kFailedPrecondition (the process has exited: a zombie,
// or one exiting whose namespaces are already released), or
// kInvalidArgument (not a namespace file, or one of another type; for an
// `--inode` entry, kNotFound when no namespace of that inode was found and
// kFailedPrecondition when its file now names another); the
// message names the file and the likely cause, but not the target (callers
// prefix its label). Thread-safe.
absl::StatusOr<ResolvedTarget> ResolveTarget(const TargetSpec& spec);

// Returns OK unless the target is a process that has exited since it was
// resolved: then kFailedPrecondition, since what its PID names may no
// longer be it. Thread-safe.
absl::Status CheckTargetStillAlive(const ResolvedTarget& target);

// Returns the namespaces the child must enter, each opened before the first
// switch ("!net"): a path such as /run/netns/blue or /proc/PID/ns/net means
// the file in nsinspect's own mount namespace, not in the target's.
std::vector<reexec::Namespace> NamespacesToEnter(const ResolvedTarget& target);

// Returns whether the child enters a PID namespace, which only its own
// children join (setns(2)).
bool EntersPidNamespace(const ResolvedTarget& target);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_TARGET_H_
