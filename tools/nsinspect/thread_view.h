// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: thread_view.h
// -----------------------------------------------------------------------------
//
// Looks into a target from a worker thread of nsinspect instead of a child
// process: gons::RunInNamespaces (gons/namespace_thread.h) enters the
// target's namespaces on the worker, which collects the view there
// (collect.h, Collector::kThread) and switches back. No process starts and
// nothing is encoded: about a tenth of a re-executed child's cost.
//
// What the worker sees is what a re-executed child sees, because every part
// is the kernel's answer for the calling thread: uname(2) and the rtnetlink
// socket (opened on the worker) take the worker's uts and net namespaces,
// /proc/sysvipc and fsopen("mqueue") its IPC namespace, /proc/PID/cgroup
// its cgroup namespace, and /proc/thread-self/{ns,mountinfo,uid_map} are
// the worker's own: mountinfo lists the mount namespace the worker is in
// when it opens the file. Nothing is process-wide: no exit(), no signal, no
// working directory, no static mutable state.
//
// Which targets: those that enter only net, uts, ipc, cgroup and mount
// namespaces. User, PID and time namespaces need a single-threaded
// process. In a target's mount namespace, a lookup from / would walk a tree
// the target controls (a FUSE file system mounted over / or /proc there
// may never answer, and a thread cannot be killed when --timeout runs out),
// so the worker looks up nothing there: it opens every file relative to
// nsinspect's own /proc, opened before the switch and confined to that
// procfs mount (proc_directory.h), and the rest needs no path. Its reads
// are all answered by the kernel, so they end without a timeout. One
// difference follows: where the target's mount namespace hides or replaces
// /proc, a child reads that /proc (and reports what is missing), the worker
// reads the real one. And the process must be able to enter namespaces
// from a thread: an ordinary user's threads cannot (setns(2) needs
// CAP_SYS_ADMIN in the thread's own user namespace too).
//
// Example:
//
//   if (CheckThreadsCanInspect().ok() && CheckThreadCanEnter(target).ok()) {
//     absl::StatusOr<NamespaceView> view =
//         CollectViewOnThread(target, RequestFor(target));
//   }

#ifndef GONS_TOOLS_NSINSPECT_THREAD_VIEW_H_
#define GONS_TOOLS_NSINSPECT_THREAD_VIEW_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tools/nsinspect/target.h"
#include "tools/nsinspect/view.h"
#include "tools/nsinspect/view_request.h"

namespace gons::nsinspect {

// Returns OK when this process's threads can enter namespaces and then see
// what its children would: it has CAP_SYS_ADMIN (effective), and its PID
// and time namespaces are those its children start in. Otherwise
// kFailedPrecondition saying which. Thread-safe.
absl::Status CheckThreadsCanInspect();

// Returns OK when `target` enters nothing but net, uts, ipc, cgroup and
// mount namespaces; otherwise kFailedPrecondition naming the first other type
// it enters and why a thread does not. Thread-safe.
absl::Status CheckThreadCanEnter(const ResolvedTarget& target);

// Collects the view of `target` on a worker thread that entered its
// namespaces (each through the file nsinspect checked), asking for
// `request`'s cgroups. Fails with RunInNamespaces' codes when the thread
// could not enter one (nothing is collected then): kInvalidArgument,
// kFailedPrecondition, kNotFound, kPermissionDenied, kResourceExhausted,
// kInternal. Thread-safe: concurrent calls run on different workers.
absl::StatusOr<NamespaceView> CollectViewOnThread(const ResolvedTarget& target,
                                                  const ViewRequest& request);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_THREAD_VIEW_H_
