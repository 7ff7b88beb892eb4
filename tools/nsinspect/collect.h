// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: collect.h
// -----------------------------------------------------------------------------
//
// Gathers what the calling process sees in the namespaces it is in: host
// and domain name, network interfaces and addresses, the mount table, uid and
// gid maps, cgroup membership, System V IPC objects and POSIX message
// queues. nsinspect's
// re-executed child calls it after it has entered the target's namespaces.
//
// Each part is read on its own, and a part that cannot be read is recorded
// in the view's `errors` while the others are still reported: after entering
// a container's mount namespace, for example, its /proc may belong to a PID
// namespace the process is not in, so /proc/self is missing there.
//
// Example:
//
//   NamespaceView view = CollectView();
//   for (const NetworkInterface& interface : view.interfaces) { ... }

#ifndef GONS_TOOLS_NSINSPECT_COLLECT_H_
#define GONS_TOOLS_NSINSPECT_COLLECT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "tools/nsinspect/view.h"
#include "tools/nsinspect/view_request.h"

namespace gons::nsinspect {

// Returns everything the calling process sees, and the cgroups of the
// target `request` names; never fails as a whole. Thread-compatible: reads
// only the calling process's own state.
NamespaceView CollectView(const ViewRequest& request);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_COLLECT_H_
