// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: fork_server.h
// -----------------------------------------------------------------------------
//
// The warm fork server behind RunReexecAction(..., ForkServer(true)): a helper,
// started once per process by re-execution like any child (single-threaded,
// entering no namespace, its environment the program's minus every gons_*
// variable), forks a fresh copy per call: ahead of the call, as its spare, when
// it is idle (see fork_server_copy.h), so that neither fork() nor the copy's
// first page faults are on the call's path; at the request when it has no
// spare. The copy places the call's descriptors where a spawned child has them
// (0, 1 and 2 the call's own pipes, 3 a test child's coverage directory, 4 the
// failure channel; passed with SCM_RIGHTS), takes the call's whole environment,
// enters the call's namespaces with the switcher's own steps (user and mount
// included: it is single-threaded), runs the action as a re-executed child does
// and exits. The namespace paths are opened by the calling thread, so they
// resolve as they would for a spawned child, except a plain (not `!`) path
// listed after `mnt`, which the copy opens after the mount switch. Everything
// else is the spawn path's: RunChild()'s wait loop, its timeouts, limits and
// result rules, and Evaluate()'s errors.
//
// Ownership: the program owns the helper (a ChildOwner; killed and reaped when
// the process exits normally, and the helper ends by itself when it sees the
// process end through a pidfd); the helper owns and reaps each copy, the spare
// included, and reports a copy's end; each copy dies with the helper
// (PR_SET_PDEATHSIG), and the helper kills and reaps its spare and its copies
// before it ends. A spare holds nothing of the helper's but its own request
// channel, on which the helper forwards it one request, once the program has
// been told of the copy; a spare that dies is reaped and replaced at the next
// request. A process forked by the program gets a helper of its own on its
// first call (told apart by pid). A helper found dead when a call starts, or
// that dies before its copy starts, is replaced once per call; one that dies
// while a copy runs makes that call fail with kUnavailable.
//
// Concurrency: one helper per process serves every thread; the helper forks one
// copy at a time but the copies run in parallel (while copies run it forks no
// spare, so that calls in parallel each wait for a fork).
//
// Example:
//
//   ChildRequest request = ...;
//   request.start = StartForkedCopy;
//   absl::StatusOr<ChildOutcome> outcome = RunChild(std::move(request));
//
// Internal to reexec; use ForkServer() in options.h.

#ifndef GONS_REEXEC_FORK_SERVER_H_
#define GONS_REEXEC_FORK_SERVER_H_

#include <sys/types.h>

#include <memory>

#include "absl/status/statusor.h"
#include "reexec/child_owner.h"
#include "reexec/started_child.h"

namespace gons::reexec::internal {

// Starts a copy for `spec` (its environment and its descriptors 0 to 4,
// each placed at its index in the copy, -1 closed there; the program and
// argv are the helper's), starting or replacing the helper as needed, and
// returns once the copy exists. Fails with kInvalidArgument for fewer than
// 3 or more than 5 descriptors; the codes of ChildOwner::Start() when the
// helper cannot be started; kFailedPrecondition when the program had
// started a thread before CheckAction(), so that the helper is not
// single-threaded; kResourceExhausted when the helper cannot fork;
// kUnavailable when the helper died twice in this call. Thread-safe.
absl::StatusOr<std::unique_ptr<StartedChild>> StartForkedCopy(
    const ChildSpec& spec);

// Returns the pid of this process's helper, or -1 when it has none running.
// For tests. Thread-safe.
pid_t ForkServerHelperPid();

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_FORK_SERVER_H_
