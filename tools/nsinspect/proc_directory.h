// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: proc_directory.h
// -----------------------------------------------------------------------------
//
// Opens /proc files relative to one descriptor of /proc, taken when the
// ProcDirectory is made. A worker thread that entered a target's mount
// namespace opens its files this way, through nsinspect's own /proc opened
// before the switch: no lookup then walks the target's tree, where a FUSE
// file system mounted over / or /proc could stall it for ever (and a thread
// cannot be killed at --timeout). Confined lookups (openat2 with
// RESOLVE_BENEATH, RESOLVE_NO_MAGICLINKS and RESOLVE_NO_XDEV) never leave
// that procfs mount: thread-self and self are ordinary symbolic links in
// procfs ("TGID/task/TID"), which they follow; the ns links are magic and
// are only stat()ed, from their opened directory.
//
// What a /proc file shows is still the calling thread's: the kernel takes
// mountinfo from the mount namespace and root the thread has when it opens
// the file, sysvipc from its IPC namespace, cgroup paths from its cgroup
// namespace, whichever mount namespace the descriptor came from.
//
// Example:
//
//   const ProcDirectory proc = ProcDirectory::Open(/*confined=*/true);
//   // ... setns(target's mount namespace) ...
//   absl::StatusOr<std::string> table = proc.Read("thread-self/mountinfo");

#ifndef GONS_TOOLS_NSINSPECT_PROC_DIRECTORY_H_
#define GONS_TOOLS_NSINSPECT_PROC_DIRECTORY_H_

#include <sys/stat.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gons::nsinspect {

// One open descriptor of /proc. Movable, not copyable. Thread-safe: its
// methods only read the descriptor.
class ProcDirectory {
 public:
  // Opens /proc as the calling thread sees it now. `confined`: later
  // lookups stay in that procfs mount (see above); otherwise they are
  // openat(2) lookups, as open("/proc/...") would be. Never fails: when
  // /proc cannot be opened, each later call fails with that errno.
  static ProcDirectory Open(bool confined);

  ProcDirectory(ProcDirectory&& other) noexcept;
  ProcDirectory& operator=(ProcDirectory&& other) noexcept;
  ProcDirectory(const ProcDirectory&) = delete;
  ProcDirectory& operator=(const ProcDirectory&) = delete;
  ~ProcDirectory();

  // Returns the contents of /proc/`relative` (no leading slash). Fails as
  // ReadBoundedFile does, naming "/proc/`relative`": kNotFound,
  // kPermissionDenied, kResourceExhausted, ...; kInvalidArgument (EXDEV,
  // ELOOP as errno statuses) for a lookup a confined directory refuses.
  absl::StatusOr<std::string> Read(const std::string& relative) const;

  // Returns a descriptor (O_PATH, O_DIRECTORY, close-on-exec; the caller
  // closes it) of the directory /proc/`relative`, or -1 with errno set.
  int OpenDirectory(const std::string& relative) const;

  // Stats /proc/`relative`, following its last component (a namespace link
  // gives the namespace's device and inode). Returns 0, or -1 with errno.
  int Stat(const std::string& relative, struct stat* info) const;

  // Returns whether /proc/`relative` exists (can be looked up).
  bool Exists(const std::string& relative) const;

 private:
  ProcDirectory(int fd, int open_error, bool confined)
      : fd_(fd), open_error_(open_error), confined_(confined) {}

  // Opens /proc/`relative` with `flags`, confined or not; -1 with errno.
  int OpenAt(const std::string& relative, int flags) const;

  int fd_;
  int open_error_;  // errno of opening /proc when fd_ < 0.
  bool confined_;
};

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_PROC_DIRECTORY_H_
