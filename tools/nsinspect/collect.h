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
// queues. nsinspect's re-executed child calls it after it has entered the
// target's namespaces, and so does a worker thread that entered them
// (thread_view.h): the kernel answers each read for the calling thread, so
// the thread reads its own /proc/thread-self where a process reads
// /proc/self, and opens its own rtnetlink socket and mqueue file system.
// No path is looked up but those in the given /proc directory.
//
// Each part is read on its own, and a part that cannot be read is recorded
// in the view's `errors` while the others are still reported: after entering
// a container's mount namespace, for example, its /proc may belong to a PID
// namespace the process is not in, so /proc/self is missing there.
//
// Example:
//
//   NamespaceView view = CollectView(request, Collector::kProcess,
//                                    ProcDirectory::Open(false));
//   for (const NetworkInterface& interface : view.interfaces) { ... }

#ifndef GONS_TOOLS_NSINSPECT_COLLECT_H_
#define GONS_TOOLS_NSINSPECT_COLLECT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "tools/nsinspect/proc_directory.h"
#include "tools/nsinspect/view.h"
#include "tools/nsinspect/view_request.h"

namespace gons::nsinspect {

// Who calls CollectView, which decides whose /proc entry is read.
enum class Collector {
  kProcess,  // A single-threaded process: /proc/self.
  kThread,   // A thread with namespaces of its own: /proc/thread-self.
};

// Returns everything the calling process (kProcess) or thread (kThread)
// sees, and the cgroups of the target `request` names; never fails as a
// whole. Every /proc file is opened through `proc`: a child opens its /proc
// after entering the target's namespaces, a thread uses nsinspect's own,
// opened before (proc_directory.h). Thread-safe: reads only the caller's
// own state, and keeps none.
NamespaceView CollectView(const ViewRequest& request, Collector collector,
                          const ProcDirectory& proc);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_COLLECT_H_
