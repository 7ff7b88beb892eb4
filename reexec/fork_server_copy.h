// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: fork_server_copy.h
// -----------------------------------------------------------------------------
//
// A fork server's copy (see fork_server.h), from its fork to its action.
// The helper forks each copy ahead of the request it will serve, as the
// spare: the copy makes itself die with the helper, leads its own process
// group, closes every descriptor of the helper's but its own request
// channel, warms what every copy touches (see RunSpare()), and only then
// waits. The helper forwards it one request (fork_server_protocol.h, the
// reply channel left out) after it has told the program of the copy; the
// copy places the request's descriptors where a spawned child has them,
// takes its environment, enters its namespaces with the switcher's steps
// and runs the action as a re-executed child does.
//
// Example:
//
//   // In the helper, right after fork():
//   if (pid == 0) RunSpare(helper, channel, &CheckAction);
//
// Internal to reexec.

#ifndef GONS_REEXEC_FORK_SERVER_COPY_H_
#define GONS_REEXEC_FORK_SERVER_COPY_H_

#include <sys/types.h>

namespace gons::reexec::internal {

// The exit status of a copy that could not prepare itself (its helper
// ended first, or a malformed request, which only a bug in the program's
// side can send).
inline constexpr int kExitCopyFailed = 113;

// Runs in the helper's child right after fork(): prepares the spare, waits
// on `channel` (its end of a SOCK_STREAM socketpair with `helper`) for one
// request, and serves it, calling `run_action` (CheckAction()) once its
// environment and namespaces are the request's. Exits the process, with
// kExitCopyFailed when the helper ends or closes the channel before a
// request comes. Never returns. Single-threaded: call it in a fork of the
// helper only.
[[noreturn]] void RunSpare(pid_t helper, int channel, void (*run_action)());

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_FORK_SERVER_COPY_H_
