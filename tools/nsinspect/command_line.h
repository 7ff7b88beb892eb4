// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: command_line.h
// -----------------------------------------------------------------------------
//
// nsinspect's command line. Each `--pid PID` is a target of its own (all of
// that process's namespaces). Namespace files (`--net PATH`, `--mnt PATH`,
// `--uts PATH`, `--user PATH`, `--ipc PATH`, `--cgroup PATH`, `--time PATH`,
// and `--netns NAME` for /run/netns/NAME) that follow each other form one
// target, until a `--pid` or a type given a second time starts the next.
// `--inode N` names a namespace by its inode number, as `--list` shows it,
// and joins the namespace files around it in one target; nsinspect finds a
// file of it with a scan of the host (discovery.h) before inspecting.
// `--list` and `--tree` take no target.
//
// Example:
//
//   // Two targets: process 4711, and the named net namespace "blue".
//   absl::StatusOr<CommandLine> command_line =
//       ParseCommandLine({"--pid", "4711", "--netns", "blue", "--json"});

#ifndef GONS_TOOLS_NSINSPECT_COMMAND_LINE_H_
#define GONS_TOOLS_NSINSPECT_COMMAND_LINE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/nsinspect/target.h"
#include "tools/nsinspect/via.h"

namespace gons::nsinspect {

// The usage text that --help prints.
extern const char kUsage[];

// What nsinspect was asked to do.
struct CommandLine {
  bool help = false;
  bool json = false;
  bool list = false;  // --list: every namespace on the host (discovery.h).
  bool tree = false;  // --tree: the user-namespace hierarchy.
  absl::Duration timeout = absl::Seconds(30);  // Per target.
  Via via = Via::kAuto;                        // --via: how (via.h).
  int parallel = kDefaultParallelTargets;      // --parallel: at once.
  std::vector<TargetSpec> targets;
};

// Parses the arguments after the program name. Options take their value as
// the next argument or after '=' (`--pid=4711`). Fails with kInvalidArgument
// naming the offending argument: an unknown option, a missing value, a PID
// or timeout that is not a positive number, a --parallel that is not a
// number from 1 to 256, an inode that is not a
// positive decimal, a --via that is not one of via.h's names, a network
// namespace name with a '/', --list or --tree
// with targets, --tree with --json, or no target at all (without --list or
// --tree). Thread-safe.
absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& arguments);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_COMMAND_LINE_H_
