// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/bench/nsinspect_targets.h"

#include <sched.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "tools/bench/piped_child.h"
#include "tools/bench/report_table.h"
#include "tools/bench/sample_summary.h"
#include "tools/bench/throwaway_namespaces.h"

namespace gons::bench {
namespace {

// Targets per kind; both kinds make 50.
constexpr int kTargetsPerKind = 25;

// The nsinspect arguments of one holder's targets: its own net (and uts)
// namespace and each extra net namespace, each with the holder's user
// namespace when it has one.
std::vector<std::string> TargetArguments(const ThrowawayNamespaces& holder,
                                         bool with_uts) {
  std::vector<std::string> arguments;
  const auto add = [&](const std::string& net) {
    if (holder.has_user_namespace()) {
      arguments.insert(arguments.end(), {"--user", holder.Path("user")});
    }
    arguments.insert(arguments.end(), {"--net", net});
  };
  add(holder.Path("net"));
  if (with_uts)
    arguments.insert(arguments.end(), {"--uts", holder.Path("uts")});
  for (const std::string& net : holder.extra_networks()) add(net);
  return arguments;
}

// One timed kind of call: its row's label and its whole argv.
struct Call {
  std::string label;
  std::vector<std::string> argv;
  std::vector<double> samples;
};

Call MakeCall(std::string label, const std::string& nsinspect,
              const std::string& via, const std::vector<std::string>& first,
              const std::vector<std::string>& second) {
  Call call{std::move(label), {nsinspect, "--json", "--via=" + via}, {}};
  call.argv.insert(call.argv.end(), first.begin(), first.end());
  call.argv.insert(call.argv.end(), second.begin(), second.end());
  return call;
}

}  // namespace

absl::Status MeasureNsinspect(int runs, const std::string& nsinspect,
                              ReportTable& table) {
  const bool root = geteuid() == 0;
  absl::StatusOr<std::unique_ptr<ThrowawayNamespaces>> plain =
      ThrowawayNamespaces::Make(CLONE_NEWNET | CLONE_NEWUTS,
                                kTargetsPerKind - 1);
  if (!plain.ok()) return plain.status();
  absl::StatusOr<std::unique_ptr<ThrowawayNamespaces>> with_user =
      ThrowawayNamespaces::Make(CLONE_NEWUSER | CLONE_NEWNET,
                                kTargetsPerKind - 1);
  if (!with_user.ok()) return with_user.status();
  const std::vector<std::string> threadable = TargetArguments(**plain, true);
  const std::vector<std::string> processes_only =
      TargetArguments(**with_user, false);

  std::vector<Call> calls = {
      MakeCall("50 targets, --via=spawn", nsinspect, "spawn", threadable,
               processes_only),
      MakeCall("50 targets, --via=fork-server", nsinspect, "fork-server",
               threadable, processes_only),
      MakeCall("50 targets, --via=auto (thread, else fork server)", nsinspect,
               "auto", threadable, processes_only),
      MakeCall("25 net+uts targets, --via=spawn", nsinspect, "spawn",
               threadable, {})};
  // An ordinary user's threads enter nothing (and its targets all have a
  // user namespace): there is no thread row then.
  if (root) {
    calls.push_back(MakeCall("25 net+uts targets, --via=thread", nsinspect,
                             "thread", threadable, {}));
  }
  // Interleaved run by run, so that a busy machine slows them alike.
  for (int run = 0; run < runs; ++run) {
    for (Call& call : calls) {
      absl::StatusOr<PipedRun> timed = RunPiped(call.argv, {}, "");
      if (!timed.ok()) {
        return absl::Status(
            timed.status().code(),
            absl::StrCat(call.label, ": ", timed.status().message()));
      }
      call.samples.push_back(static_cast<double>(timed->elapsed_nanoseconds));
    }
  }
  table.Section(absl::StrCat(
      "nsinspect: one call over many throwaway targets (", runs,
      " runs each; half of the 50 each with a user namespace of its own",
      root ? "" : "; an ordinary user: every target has one", ")"));
  double spawn_all = 0;
  double spawn_half = 0;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const SampleSummary summary = Summarize(calls[i].samples);
    const bool half = i >= 3;
    if (i == 0) spawn_all = summary.median;
    if (i == 3) spawn_half = summary.median;
    const double spawn = half ? spawn_half : spawn_all;
    const bool is_spawn = i == 0 || i == 3;
    table.Row(calls[i].label, FormatNanoseconds(summary),
              is_spawn ? "1.00x"
                       : absl::StrCat(Ratio(spawn, summary.median),
                                      " faster than spawn"),
              i == 2 ? ">= 5x faster than spawn" : "");
  }
  return absl::OkStatus();
}

}  // namespace gons::bench
