// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: posix_queues.h
// -----------------------------------------------------------------------------
//
// Lists the POSIX message queues of the caller's IPC namespace. Queues have
// names only in an mqueue file system, and the target's mount namespace
// may have none mounted (or one of another IPC namespace on /dev/mqueue):
// so a new mqueue file system is made for the caller's IPC namespace with
// fsopen(2) and fsmount(2), detached (never attached anywhere, so no mount
// table changes), and read through its descriptor. The caller is the
// calling thread: fsopen(2) takes the IPC namespace, and checks the
// capabilities over the mount namespace, of the thread that calls it.
//
// Example:
//
//   absl::StatusOr<std::vector<PosixQueue>> queues = CollectPosixQueues();

#ifndef GONS_TOOLS_NSINSPECT_POSIX_QUEUES_H_
#define GONS_TOOLS_NSINSPECT_POSIX_QUEUES_H_

#include <vector>

#include "absl/status/statusor.h"
#include "tools/nsinspect/ipc_view.h"

namespace gons::nsinspect {

// At most this many queues are listed (an IPC namespace allows 256 by
// default, fs.mqueue.queues_max).
inline constexpr int kMaxPosixQueues = 1 << 16;

// Returns the queues, sorted by name, each with its attributes (or -1 for
// those of a queue the caller may not open). Fails with the errno status
// of fsopen(2), fsconfig(2) or fsmount(2), naming the call: kPermissionDenied
// (EPERM: it needs CAP_SYS_ADMIN in the user namespace owning the caller's
// mount namespace and the one owning its IPC namespace), kUnimplemented
// (ENOSYS: a kernel before 5.2) or kNotFound (ENODEV: no mqueue support).
// Thread-safe.
absl::StatusOr<std::vector<PosixQueue>> CollectPosixQueues();

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_POSIX_QUEUES_H_
