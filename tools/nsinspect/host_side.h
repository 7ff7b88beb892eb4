// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: host_side.h
// -----------------------------------------------------------------------------
//
// The parts of a process target that nsinspect reads from outside, through
// /proc/PID, instead of from its child inside the namespaces. The child
// reads /proc/self, which is missing when the target's mount namespace has
// no /proc (bwrap without --proc) and which shows mounts from the
// namespace's root, not from a chrooted target's root. /proc/PID/mountinfo
// shows the mounts as PID sees them (relative to its root, leaving out what
// it cannot reach), and /proc/PID/cgroup shows its cgroups as nsinspect's
// cgroup namespace sees them.
//
// Example:
//
//   ViewRequest request = RequestFor(target);
//   ... the child fills `view` ...
//   AddHostSideParts(*target.process, &view);

#ifndef GONS_TOOLS_NSINSPECT_HOST_SIDE_H_
#define GONS_TOOLS_NSINSPECT_HOST_SIDE_H_

#include "tools/nsinspect/pinned_process.h"
#include "tools/nsinspect/target.h"
#include "tools/nsinspect/view.h"
#include "tools/nsinspect/view_request.h"

namespace gons::nsinspect {

// Returns what the child is asked for: whether it enters a PID namespace,
// and the target process as the target's own /proc numbers it (the last
// NSpid of /proc/PID/status) with its cgroup namespace, so the child can
// read the target's cgroups in that namespace. Thread-safe.
ViewRequest RequestFor(const ResolvedTarget& target);

// Replaces the view's mounts with /proc/PID/mountinfo (recorded in
// `sources`), fills uid and gid maps the child could not read from
// /proc/PID/{uid,gid}_map, and fills host_cgroups from /proc/PID/cgroup.
// A part that cannot be read is recorded in `errors`. Thread-safe.
void AddHostSideParts(const PinnedProcess& process, NamespaceView* view);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_HOST_SIDE_H_
