// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: inspect.h
// -----------------------------------------------------------------------------
//
// Inspects targets: each is resolved (target.h), then a re-executed child of
// the program enters the target's namespaces at start-up through //reexec,
// collects what it sees there (collect.h) and sends it back as typed JSON.
// When the target has a PID namespace of its own, the child forks once more,
// because only a new process joins a PID namespace; the grandchild then sees
// the container's /proc as its own.
//
// The program must call gons::reexec::CheckAction() first thing in main():
// this library registers the child's action during static initialization.
//
// Example:
//
//   int main(int argc, char** argv) {
//     gons::reexec::CheckAction();
//     std::vector<TargetReport> reports =
//         InspectTargets({PidTarget(4711)}, absl::Seconds(30));
//   }

#ifndef GONS_TOOLS_NSINSPECT_INSPECT_H_
#define GONS_TOOLS_NSINSPECT_INSPECT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tools/nsinspect/target.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {

// The outcome of inspecting one target.
struct TargetReport {
  std::string label;  // TargetSpec::label.
  // OK, or why the target could not be inspected, in one line that does not
  // repeat the label.
  absl::Status status;
  std::vector<TargetNamespace> namespaces;  // Empty when resolving failed.
  NamespaceView view;                       // Set when `status` is OK.
};

// Inspects one target, giving up after `timeout`. Thread-safe.
TargetReport InspectTarget(const TargetSpec& spec, absl::Duration timeout);

// Inspects all targets concurrently, one thread and child each, and returns
// their reports in the order given. Thread-safe.
std::vector<TargetReport> InspectTargets(const std::vector<TargetSpec>& specs,
                                         absl::Duration timeout);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_INSPECT_H_
