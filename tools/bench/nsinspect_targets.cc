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
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/bench/piped_child.h"
#include "tools/bench/report_table.h"
#include "tools/bench/sample_summary.h"
#include "tools/bench/throwaway_namespaces.h"

namespace gons::bench {
namespace {

// Targets per call.
constexpr int kTargets = 50;

// The nsinspect arguments of a holder's first `count` targets: its own net
// (and uts) namespace and its extra net namespaces, each with the holder's
// user namespace when it has one, and with its mount namespace when
// `with_mnt`.
std::vector<std::string> TargetArguments(const ThrowawayNamespaces& holder,
                                         bool with_uts, int count,
                                         bool with_mnt = false) {
  std::vector<std::string> arguments;
  const auto add = [&](const std::string& net) {
    if (holder.has_user_namespace()) {
      arguments.insert(arguments.end(), {"--user", holder.Path("user")});
    }
    arguments.insert(arguments.end(), {"--net", net});
    if (with_mnt) {
      arguments.insert(arguments.end(), {"--mnt", holder.Path("mnt")});
    }
  };
  add(holder.Path("net"));
  if (with_uts) {
    arguments.insert(arguments.end(), {"--uts", holder.Path("uts")});
  }
  for (int i = 0; i + 1 < count; ++i) add(holder.extra_networks()[i]);
  return arguments;
}

// One timed kind of call: its row's label, its whole argv, and whether it
// is the reference of the rows that follow it.
struct Call {
  std::string label;
  std::vector<std::string> argv;
  bool reference = false;
  std::vector<double> samples;      // Wall time.
  std::vector<double> cpu_samples;  // nsinspect's CPU time and its children's.
};

Call MakeCall(std::string label, const std::string& nsinspect,
              std::vector<std::string> options,
              const std::vector<std::string>& targets) {
  Call call{std::move(label), {nsinspect, "--json"}, false, {}, {}};
  call.argv.insert(call.argv.end(), options.begin(), options.end());
  call.argv.insert(call.argv.end(), targets.begin(), targets.end());
  return call;
}

Call Reference(Call call) {
  call.reference = true;
  return call;
}

}  // namespace

absl::Status MeasureNsinspect(int runs, const std::string& nsinspect,
                              ReportTable& table) {
  const bool root = geteuid() == 0;
  absl::StatusOr<std::unique_ptr<ThrowawayNamespaces>> plain =
      ThrowawayNamespaces::Make(CLONE_NEWNET | CLONE_NEWUTS, kTargets - 1);
  if (!plain.ok()) return plain.status();
  absl::StatusOr<std::unique_ptr<ThrowawayNamespaces>> with_user =
      ThrowawayNamespaces::Make(CLONE_NEWUSER | CLONE_NEWNET, kTargets / 2 - 1);
  if (!with_user.ok()) return with_user.status();
  absl::StatusOr<std::unique_ptr<ThrowawayNamespaces>> mounted =
      ThrowawayNamespaces::Make(CLONE_NEWNS | CLONE_NEWNET, kTargets - 1);
  if (!mounted.ok()) return mounted.status();
  const std::vector<std::string> threadable =
      TargetArguments(**plain, true, kTargets);
  const std::vector<std::string> with_mount =
      TargetArguments(**mounted, false, kTargets, /*with_mnt=*/true);
  std::vector<std::string> mixed = TargetArguments(**plain, true, kTargets / 2);
  const std::vector<std::string> processes_only =
      TargetArguments(**with_user, false, kTargets / 2);
  mixed.insert(mixed.end(), processes_only.begin(), processes_only.end());

  // "before": one thread and spawned child per target, all at once, as
  // nsinspect ran every target before --via existed.
  const std::vector<std::string> before = {"--via=spawn", "--parallel=50"};
  std::vector<Call> calls = {
      Reference(MakeCall("50 net targets: spawn, one thread each (before)",
                         nsinspect, before, threadable)),
      MakeCall("50 net targets: --via=spawn", nsinspect, {"--via=spawn"},
               threadable),
      MakeCall("50 net targets: --via=auto", nsinspect, {"--via=auto"},
               threadable),
      Reference(MakeCall("50 mixed targets: spawn, one thread each (before)",
                         nsinspect, before, mixed)),
      MakeCall("50 mixed targets: --via=spawn", nsinspect, {"--via=spawn"},
               mixed),
      MakeCall("50 mixed targets: --via=fork-server", nsinspect,
               {"--via=fork-server"}, mixed)};
  for (const char* parallel : {"1", "2", "4", "8", "16"}) {
    calls.push_back(MakeCall(
        absl::StrCat("50 mixed targets: --via=auto --parallel=", parallel,
                     parallel == std::string("4") ? " (default)" : ""),
        nsinspect, {"--via=auto", absl::StrCat("--parallel=", parallel)},
        mixed));
  }
  // Each target enters a mount namespace too: a process each before, the
  // thread path (reading through nsinspect's /proc) under auto as root.
  calls.push_back(
      Reference(MakeCall("50 net+mnt targets: spawn, one thread each (before)",
                         nsinspect, before, with_mount)));
  calls.push_back(MakeCall("50 net+mnt targets: --via=fork-server", nsinspect,
                           {"--via=fork-server"}, with_mount));
  calls.push_back(MakeCall("50 net+mnt targets: --via=auto", nsinspect,
                           {"--via=auto"}, with_mount));
  // An ordinary user's threads enter nothing (and all its targets have a
  // user namespace): the thread path has no row then.
  if (root) {
    calls.insert(calls.begin() + 2,
                 MakeCall("50 net targets: --via=thread", nsinspect,
                          {"--via=thread"}, threadable));
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
      call.cpu_samples.push_back(static_cast<double>(timed->cpu_nanoseconds));
    }
  }
  table.Section(absl::StrCat(
      "nsinspect: one call over 50 throwaway targets (", runs,
      " runs each; net: 50 net namespaces, one with a uts namespace; mixed: "
      "25 of those and 25 with a user namespace each; net+mnt: 50 net "
      "namespaces, each entered with one mount namespace",
      root ? "" : "; an ordinary user: every target has a user namespace",
      ")"));
  // CPU time too (nsinspect's, its children's and the fork server's, all
  // reaped before nsinspect exits): on a busy machine it says more than the
  // wall time.
  double before_median = 0;
  double before_cpu = 0;
  for (const Call& call : calls) {
    const SampleSummary summary = Summarize(call.samples);
    const SampleSummary cpu = Summarize(call.cpu_samples);
    if (call.reference) {
      before_median = summary.median;
      before_cpu = cpu.median;
    }
    const bool goal = absl::StrContains(call.label, "net targets: --via=auto");
    table.Row(
        call.label,
        absl::StrCat(FormatNanoseconds(summary), "; CPU ",
                     FormatNanoseconds(cpu)),
        call.reference
            ? "1.00x"
            : absl::StrCat(Ratio(before_median, summary.median),
                           " faster; CPU ", Ratio(before_cpu, cpu.median)),
        goal ? ">= 5x faster than before" : "");
  }
  return absl::OkStatus();
}

}  // namespace gons::bench
