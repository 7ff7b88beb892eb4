// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: via.h
// -----------------------------------------------------------------------------
//
// How nsinspect runs the code that looks into a target (`--via`): a
// re-executed child (spawn), a copy forked by //reexec's warm fork server,
// or a worker thread of nsinspect itself (gons/namespace_thread.h). `auto`
// picks the thread where it can enter the target's namespaces and cannot
// be stalled by the target (thread_view.h), and the fork server otherwise.
//
// Example:
//
//   absl::StatusOr<Via> via = ParseVia("fork-server");  // Via::kForkServer

#ifndef GONS_TOOLS_NSINSPECT_VIA_H_
#define GONS_TOOLS_NSINSPECT_VIA_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gons::nsinspect {

// The ways of running a target's inspection.
enum class Via {
  kAuto,        // The thread where it can, else the fork server.
  kSpawn,       // A re-executed child per target.
  kThread,      // A worker thread per target (thread_view.h).
  kForkServer,  // A copy of the warm fork server per target.
};

// How many targets are inspected at once by default: the fork server forks
// one copy at a time and the machine has few cores, so more only wait
// (tools/nsinspect/README.md has the figures).
inline constexpr int kDefaultParallelTargets = 4;

// Parses "auto", "spawn", "thread" or "fork-server". Fails with
// kInvalidArgument naming the accepted values. Thread-safe.
absl::StatusOr<Via> ParseVia(absl::string_view text);

// Returns the name ParseVia accepts for `via`. Thread-safe.
std::string ViaName(Via via);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_VIA_H_
