// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: fork_server_helper.h
// -----------------------------------------------------------------------------
//
// The fork server's helper side (see fork_server.h for the program's side
// and fork_server_protocol.h for the messages). The helper is the program
// re-executed with gons_reexec_fork_server set: CheckAction() turns it into
// the helper, which serves requests until the program ends. For each it
// forks a copy (ahead, as a spare, when idle: fork_server_copy.h) that
// places the request's descriptors, enters the requested
// namespaces through the switcher's steps (gons/switcher.h,
// RunSwitcherAgain()) and then runs the action as a re-executed child does.
//
// Example:
//
//   // First in RunAction(), after the AT_SECURE check:
//   ServeForksIfAsked(&CheckAction);  // Returns only in other processes.
//
// Internal to reexec.

#ifndef GONS_REEXEC_FORK_SERVER_HELPER_H_
#define GONS_REEXEC_FORK_SERVER_HELPER_H_

namespace gons::reexec::internal {

// In a helper (gons_reexec_fork_server is set) serves requests and exits
// the process when the program ends or closes the control socket; each
// copy calls `run_action` (CheckAction()) once its environment and
// namespaces are the request's. Returns at once in any other process. Call
// it before any thread is started.
void ServeForksIfAsked(void (*run_action)());

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_FORK_SERVER_HELPER_H_
