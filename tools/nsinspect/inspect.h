// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: inspect.h
// -----------------------------------------------------------------------------
//
// Inspects targets: each is resolved (target.h), then code that entered the
// target's namespaces collects what it sees there (collect.h), run one of
// the ways via.h names. On a process path (a re-executed child, or a copy
// forked by //reexec's warm fork server) the child enters the namespaces
// at start-up and sends the view back as typed JSON; when the target has a
// PID namespace of its own, the child forks once more, because only a new
// process joins a PID namespace, and the grandchild then sees the
// container's /proc as its own. On the thread path (thread_view.h) a
// worker thread of this process enters them and hands the view over.
// `auto` takes the thread for the targets it can serve and the fork server
// for the others; a thread that cannot enter a target's namespaces hands
// it to the fork server, whose error reads as a child's.
//
// The program must call gons::reexec::CheckAction() first thing in main(),
// before it starts any thread: this library registers the child's action
// during static initialization, and the fork server needs it.
//
// Example:
//
//   int main(int argc, char** argv) {
//     gons::reexec::CheckAction();
//     std::vector<TargetReport> reports =
//         InspectTargets({PidTarget(4711)}, InspectOptions());
//   }

#ifndef GONS_TOOLS_NSINSPECT_INSPECT_H_
#define GONS_TOOLS_NSINSPECT_INSPECT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tools/nsinspect/target.h"
#include "tools/nsinspect/via.h"
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

// How targets are inspected.
struct InspectOptions {
  // How long a child may take before it is killed and the target fails
  // with kDeadlineExceeded. The thread path needs none: all its reads are
  // answered by the kernel (thread_view.h).
  absl::Duration timeout = absl::Seconds(30);
  Via via = Via::kAuto;
  int parallel = kDefaultParallelTargets;  // At least 1.
};

// Inspects one target. On the thread path alone (`--via=thread`), a target
// a thread cannot serve fails with kFailedPrecondition saying why, and one
// whose namespaces the thread could not enter with the code of
// gons::RunInNamespaces. Thread-safe.
TargetReport InspectTarget(const TargetSpec& spec,
                           const InspectOptions& options);

// Inspects all targets, `options.parallel` at a time, and returns their
// reports in the order given. Thread-safe.
std::vector<TargetReport> InspectTargets(const std::vector<TargetSpec>& specs,
                                         const InspectOptions& options);

// Inspects all targets as above, and hands each report, with the index of
// its target, to `consume` on the thread that made it as soon as it is
// made, instead of keeping them all: a caller that formats them there
// formats while others are inspected, and can drop the views. `consume`
// may move from the report, and runs concurrently with itself for other
// indexes. Thread-safe.
void InspectTargets(
    const std::vector<TargetSpec>& specs, const InspectOptions& options,
    absl::FunctionRef<void(std::size_t, TargetReport&)> consume);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_INSPECT_H_
