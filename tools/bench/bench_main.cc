// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The benchmark of gons: measures, in one run on one machine, what gons
// costs against the floors (a C program that exits, raw open+setns+close,
// spawning with pipes, pipe bandwidth, a C child that buffers its input)
// and against nsenter, and prints one Markdown table of medians, spreads
// and ratios. Alternatives are interleaved run by run, so that a busy
// machine slows them alike. The namespaces it needs it makes itself and
// removes.
//
// Usage: bench [--quick] [--only=PART]
//   --quick      a few runs of everything, small sizes: checks that every
//                part works (the smoke test), not how fast.
//   --only=PART  measures one part only: startup, switching, roundtrip,
//                forkserver, echo (params and results), scale, nsinspect
//                or threads.
// Run it as `tools/bazel run -c opt //tools/bench`. Exits 0 after printing
// the table, or 1 with the first error.

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/bench/echo_throughput.h"
#include "tools/bench/machine_description.h"
#include "tools/bench/nsinspect_targets.h"
#include "tools/bench/piped_child.h"
#include "tools/bench/report_table.h"
#include "tools/bench/sample_summary.h"
#include "tools/bench/thread_path.h"
#include "tools/bench/throwaway_namespaces.h"
#include "tools/bench/worker_output.h"

namespace gons::bench {
namespace {

#ifndef CLONE_NEWTIME
constexpr int CLONE_NEWTIME = 0x00000080;
#endif

constexpr std::size_t kKiB = 1024;
constexpr std::size_t kMiB = 1024 * 1024;

struct Plan {
  int start_runs = 300;
  int switch_runs = 200;
  int round_trip_runs = 200;
  // Sizes and runs: small sizes, whose spread is wider, run more often.
  std::vector<std::pair<std::size_t, int>> sizes = {
      {64 * kKiB, 40}, {256 * kKiB, 30}, {1 * kMiB, 20},
      {4 * kMiB, 15},  {16 * kMiB, 9},   {64 * kMiB, 7}};
  int namespaces = 200;
  std::vector<int> threads = {1, 2, 4, 8};
};

Plan QuickPlan() {
  Plan plan;
  plan.start_runs = plan.switch_runs = plan.round_trip_runs = 3;
  plan.sizes = {{64 * kKiB, 2}, {1 * kMiB, 2}};
  plan.namespaces = 8;
  plan.threads = {1, 2};
  return plan;
}

// The path of a program built beside this one.
std::string Program(const std::string& name) {
  std::string in_runfiles = "tools/bench/" + name;
  if (access(in_runfiles.c_str(), X_OK) == 0) return in_runfiles;
  char self[4096] = {};
  const ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
  std::string directory(self, length > 0 ? length : 0);
  return directory.substr(0, directory.rfind('/') + 1) + name;
}

// This process's environment, for programs that need PATH and the like.
std::vector<std::string> Environment() {
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    environment.emplace_back(*entry);
  }
  return environment;
}

// A program to time: argv[0] is its path; the environment is all it gets.
struct Command {
  std::vector<std::string> argv;
  std::vector<std::string> environment;
};

// Runs each of `commands` `runs` times, interleaved, and returns the
// nanoseconds of each, by command.
absl::StatusOr<std::vector<std::vector<double>>> TimeInterleaved(
    const std::vector<Command>& commands, int runs) {
  std::vector<std::vector<double>> times(commands.size());
  for (int run = 0; run < runs; ++run) {
    for (std::size_t i = 0; i < commands.size(); ++i) {
      absl::StatusOr<PipedRun> result =
          RunPiped(commands[i].argv, commands[i].environment, "");
      if (!result.ok()) return result.status();
      times[i].push_back(static_cast<double>(result->elapsed_nanoseconds));
    }
  }
  return times;
}

// The instructions callgrind counts for a whole run of `program` (user
// space, the dynamic loader included), or -1 without valgrind.
std::int64_t Instructions(const std::string& program) {
  if (access("/usr/bin/valgrind", X_OK) != 0) return -1;
  absl::StatusOr<PipedRun> run =
      RunPiped({"/usr/bin/valgrind", "--tool=callgrind", "--log-fd=1",
                "--callgrind-out-file=/dev/null", program},
               Environment(), "");
  if (!run.ok()) return -1;
  // valgrind's log has a line "==PID== Collected : COUNT".
  constexpr absl::string_view kCollected = "Collected :";
  const absl::string_view log = run->output;
  const std::size_t at = log.find(kCollected);
  if (at == absl::string_view::npos) return -1;
  const absl::string_view rest = log.substr(at + kCollected.size());
  std::int64_t count = -1;
  if (!absl::SimpleAtoi(rest.substr(0, rest.find('\n')), &count)) return -1;
  return count;
}

std::string Count(std::int64_t count) {
  return count < 0 ? "n/a (no valgrind)" : absl::StrCat(count);
}

absl::Status MeasureStartup(const Plan& plan, ReportTable& table) {
  table.Section("Start-up, no gons_* variable set (spawn with pipes + wait)");
  const std::vector<std::string> names = {"floor_exit", "startup_plain",
                                          "startup_gons", "startup_plain_fast",
                                          "startup_gons_fast"};
  std::vector<Command> commands;
  for (const std::string& name : names) {
    commands.push_back({{Program(name)}, {}});
  }
  absl::StatusOr<std::vector<std::vector<double>>> times =
      TimeInterleaved(commands, plan.start_runs);
  if (!times.ok()) return times.status();
  std::vector<SampleSummary> summary;
  for (const auto& samples : *times) summary.push_back(Summarize(samples));
  table.Row("C program that exits (floor)", FormatNanoseconds(summary[0]),
            "1.00x", "");
  for (int fast = 0; fast <= 1; ++fast) {
    const std::string linking =
        fast ? "static libstdc++" : "shared libstdc++ (default)";
    const SampleSummary& plain = summary[1 + 2 * fast];
    const SampleSummary& hooked = summary[2 + 2 * fast];
    table.Row("C++ `int main() {}`, " + linking, FormatNanoseconds(plain),
              Ratio(plain.median, summary[0].median) + " of C", "");
    table.Row("  same + //gons", FormatNanoseconds(hooked),
              Ratio(hooked.median, plain.median), "no measurable difference");
    const std::int64_t plain_count = Instructions(Program(names[1 + 2 * fast]));
    const std::int64_t hooked_count =
        Instructions(Program(names[2 + 2 * fast]));
    table.Row("  instructions (callgrind), without / with //gons",
              absl::StrCat(Count(plain_count), " / ", Count(hooked_count)),
              plain_count < 0 || hooked_count < 0
                  ? ""
                  : absl::StrCat("+", hooked_count - plain_count),
              "< 1,500 extra");
  }
  return absl::OkStatus();
}

absl::Status MeasureSwitching(const Plan& plan, ReportTable& table) {
  absl::StatusOr<std::unique_ptr<ThrowawayNamespaces>> made =
      ThrowawayNamespaces::Make(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWCGROUP |
                                    CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUTS |
                                    CLONE_NEWTIME,
                                0);
  if (!made.ok()) return made.status();
  std::vector<std::vector<std::string>> sets = {
      {"user", "net"},
      {"user", "ipc", "net", "uts"},
      {"user", "mnt", "cgroup", "ipc", "net", "uts", "time"}};
  if (geteuid() == 0) sets.insert(sets.begin(), {"net"});
  table.Section(
      "Entering N namespaces at start-up: open+setns+close in C (floor) vs "
      "gons_* variables");
  // The gons side is the start-up program above, which cannot tell whether
  // it switched; setns_gons_fast, which can, checks each set first. (It
  // calls gons::Status(), which links Abseil's status and so starts
  // slower: it is not the one timed.) Runs without namespaces come first:
  // the increments isolate the switching.
  std::vector<Command> commands = {{{Program("floor_setns")}, {}},
                                   {{Program("startup_gons_fast")}, {}}};
  for (const auto& set : sets) {
    Command floor{{Program("floor_setns")}, {}};
    Command gons{{Program("startup_gons_fast")}, {}};
    for (const std::string& type : set) {
      const std::string path =
          (*made)->Path(type == "time" ? "time_for_children" : type);
      floor.argv.push_back(absl::StrCat(type, "=", path));
      gons.environment.push_back(absl::StrCat("gons_", type, "=", path));
    }
    absl::StatusOr<PipedRun> checked =
        RunPiped({Program("setns_gons_fast")}, gons.environment, "");
    if (!checked.ok()) {
      return absl::InternalError(absl::StrCat(
          "gons could not enter ", absl::StrJoin(set, ","),
          " (see its status above): ", checked.status().message()));
    }
    commands.push_back(floor);
    commands.push_back(gons);
  }
  absl::StatusOr<std::vector<std::vector<double>>> times =
      TimeInterleaved(commands, plan.switch_runs);
  if (!times.ok()) return times.status();
  const double floor_base = Summarize((*times)[0]).median;
  const double gons_base = Summarize((*times)[1]).median;
  table.Row("C floor, no namespace", FormatNanoseconds(Summarize((*times)[0])),
            "", "");
  table.Row("gons: C++ + //gons, static libstdc++, no namespace",
            FormatNanoseconds(Summarize((*times)[1])),
            Ratio(gons_base, floor_base), "");
  for (std::size_t i = 0; i < sets.size(); ++i) {
    const SampleSummary floor = Summarize((*times)[2 + 2 * i]);
    const SampleSummary gons = Summarize((*times)[3 + 2 * i]);
    const std::string types = absl::StrJoin(sets[i], ",");
    table.Row(absl::StrCat("C floor, N=", sets[i].size(), " (", types, ")"),
              FormatNanoseconds(floor), "", "");
    table.Row(absl::StrCat("gons, N=", sets[i].size()), FormatNanoseconds(gons),
              Ratio(gons.median, floor.median), "within 1.1x");
    table.Row(
        absl::StrCat("  switching alone (minus N=0), N=", sets[i].size()),
        absl::StrFormat("%.0f us vs %.0f us", (gons.median - gons_base) / 1e3,
                        (floor.median - floor_base) / 1e3),
        Ratio(gons.median - gons_base, floor.median - floor_base), "");
  }
  return absl::OkStatus();
}

absl::Status MeasureRoundTrips(const Plan& plan, ReportTable& table) {
  absl::StatusOr<std::unique_ptr<ThrowawayNamespaces>> made =
      ThrowawayNamespaces::Make(CLONE_NEWNET, 0);
  if (!made.ok()) return made.status();
  std::string namespaces = absl::StrCat("net=", (*made)->Path("net"));
  std::vector<std::string> nsenter = {"/usr/bin/nsenter",
                                      "--net=" + (*made)->Path("net"), "true"};
  if ((*made)->has_user_namespace()) {
    namespaces = absl::StrCat("!user=", (*made)->Path("user"), ",", namespaces);
    // Without root, nsenter may not call setgroups in the user namespace.
    nsenter.insert(nsenter.begin() + 1, {"--user=" + (*made)->Path("user"),
                                         "--preserve-credentials"});
  }
  table.Section(
      "Reexec round trip: small JSON result (spawn, run action, decode, reap)");
  for (const char* flavor : {"reexec_worker_fast", "reexec_worker"}) {
    absl::StatusOr<PipedRun> run = RunPiped(
        {Program(flavor), "roundtrip", absl::StrCat(plan.round_trip_runs),
         Program("floor_exit"), namespaces},
        Environment(), "");
    if (!run.ok()) return run.status();
    const auto samples = ParseWorker(run->output)["sample"];
    const SampleSummary c_floor = Summarize(Column(samples, 0));
    const SampleSummary self_floor = Summarize(Column(samples, 1));
    const SampleSummary reexec = Summarize(Column(samples, 2));
    const SampleSummary reexec_net = Summarize(Column(samples, 3));
    const bool fast = std::string(flavor) == "reexec_worker_fast";
    const std::string linking = fast ? "static libstdc++ (the fast path)"
                                     : "shared libstdc++ (default)";
    if (fast) {
      table.Row("C floor: spawn a C program with pipes, wait",
                FormatNanoseconds(c_floor), "1.00x", "ref.: 1.9 ms");
    }
    table.Row(absl::StrCat("floor: same binary, exits in main(); ", linking),
              FormatNanoseconds(self_floor),
              Ratio(self_floor.median, c_floor.median) + " of C", "");
    table.Row(
        absl::StrCat("reexec, no namespace; ", linking),
        FormatNanoseconds(reexec), Ratio(reexec.median, self_floor.median),
        fast ? "<= 1.3x floor; < 2.2 ms (Go original, ref.: 6.7 ms)" : "");
    table.Row(absl::StrCat("reexec into a net namespace; ", linking),
              FormatNanoseconds(reexec_net),
              Ratio(reexec_net.median, self_floor.median), "");
  }
  absl::StatusOr<std::vector<std::vector<double>>> times = TimeInterleaved(
      {{{"/usr/bin/true"}, Environment()}, {nsenter, Environment()}},
      plan.round_trip_runs);
  if (!times.ok()) return times.status();
  const SampleSummary bare = Summarize((*times)[0]);
  const SampleSummary entered = Summarize((*times)[1]);
  table.Row("`true`", FormatNanoseconds(bare), "", "");
  table.Row(
      absl::StrCat("`nsenter ", (*made)->has_user_namespace() ? "--user " : "",
                   "--net true`"),
      FormatNanoseconds(entered),
      absl::StrFormat("+%.2f ms", (entered.median - bare.median) / 1e6),
      "ref.: +2.4 ms");
  return absl::OkStatus();
}

// Params and results: see echo_throughput.h.
absl::Status MeasureEcho(const Plan& plan, ReportTable& table) {
  return MeasureThroughput(plan.sizes, Program("floor_echo"),
                           Program("reexec_worker_fast"), Environment(), table);
}

absl::Status MeasureScale(const Plan& plan, ReportTable& table) {
  std::vector<std::string> argv = {Program("reexec_worker_fast"), "scale",
                                   absl::StrCat(plan.namespaces)};
  for (int threads : plan.threads) argv.push_back(absl::StrCat(threads));
  absl::StatusOr<PipedRun> run = RunPiped(argv, Environment(), "");
  if (!run.ok()) return run.status();
  auto lines = ParseWorker(run->output);
  const double count = plan.namespaces;
  table.Section(absl::StrCat("An action in each of ", plan.namespaces,
                             " throwaway net namespaces (static libstdc++)"));
  if (!lines["made"].empty() && !lines["made"][0].empty()) {
    table.Row("making them (unshare), per namespace",
              absl::StrFormat("%.0f us", lines["made"][0][0] / count / 1e3), "",
              "");
  }
  double sequential = 0;
  for (const auto& row : lines["threads"]) {
    if (row.size() < 2) continue;
    const int threads = static_cast<int>(row[0]);
    const std::vector<double> latencies(row.begin() + 2, row.end());
    const double per_namespace = row[1] / count;
    if (threads == 1) sequential = per_namespace;
    table.Row(absl::StrCat(threads, threads == 1 ? " thread" : " threads",
                           ": wall time per namespace; latency"),
              absl::StrFormat("%.2f ms; %s", per_namespace / 1e6,
                              FormatNanoseconds(Summarize(latencies))),
              Ratio(sequential, per_namespace) + " speed-up", "");
    if (threads != 1) continue;
    // Growth with N: the latencies of each quarter of the namespaces, in
    // the order they were made and entered.
    const std::size_t quarter = latencies.size() / 4;
    double first_quarter = 0;
    for (std::size_t q = 0; q < 4 && quarter > 0; ++q) {
      const SampleSummary part = Summarize(std::vector<double>(
          latencies.begin() + static_cast<std::ptrdiff_t>(q * quarter),
          latencies.begin() + static_cast<std::ptrdiff_t>((q + 1) * quarter)));
      if (q == 0) first_quarter = part.median;
      table.Row(absl::StrFormat("  sequential, namespaces %d-%d",
                                q * quarter + 1, (q + 1) * quarter),
                FormatNanoseconds(part), Ratio(part.median, first_quarter), "");
    }
  }
  return absl::OkStatus();
}

// The fork server (ForkServer(true)) against the spawn path, both measured
// in one worker run, interleaved, with the helper already started.
absl::Status MeasureForkServer(const Plan& plan, ReportTable& table) {
  absl::StatusOr<std::unique_ptr<ThrowawayNamespaces>> made =
      ThrowawayNamespaces::Make(CLONE_NEWNET, 0);
  if (!made.ok()) return made.status();
  std::string namespaces = absl::StrCat("net=", (*made)->Path("net"));
  if ((*made)->has_user_namespace()) {
    namespaces = absl::StrCat("!user=", (*made)->Path("user"), ",", namespaces);
  }
  table.Section(
      "Fork server round trip: small JSON result (a warm helper forks a copy "
      "per call)");
  absl::StatusOr<PipedRun> run =
      RunPiped({Program("reexec_worker_fast"), "forkserver",
                absl::StrCat(plan.round_trip_runs), namespaces},
               Environment(), "");
  if (!run.ok()) return run.status();
  const auto samples = ParseWorker(run->output)["forksample"];
  const SampleSummary spawn = Summarize(Column(samples, 0));
  const SampleSummary fork = Summarize(Column(samples, 1));
  const SampleSummary spawn_net = Summarize(Column(samples, 2));
  const SampleSummary fork_net = Summarize(Column(samples, 3));
  const std::string net = (*made)->has_user_namespace()
                              ? "into a user and net namespace"
                              : "into a net namespace";
  table.Row("reexec (spawn), no namespace; static libstdc++",
            FormatNanoseconds(spawn), "1.00x", "");
  table.Row("fork server, no namespace", FormatNanoseconds(fork),
            Ratio(fork.median, spawn.median) + " of spawn",
            "<= 0.35 ms, >= 4x faster than spawn");
  table.Row(absl::StrCat("reexec (spawn) ", net), FormatNanoseconds(spawn_net),
            "1.00x", "");
  table.Row(absl::StrCat("fork server ", net), FormatNanoseconds(fork_net),
            Ratio(fork_net.median, spawn_net.median) + " of spawn",
            "<= 0.4 ms");
  return absl::OkStatus();
}

absl::Status MeasureNsinspectTargets(const Plan& plan, ReportTable& table) {
  return MeasureNsinspect(std::max(2, plan.round_trip_runs / 10),
                          Program("../nsinspect/nsinspect"), table);
}

// Last: it leaves idle worker threads, and the others fork.
absl::Status MeasureNamespaceThreads(const Plan& plan, ReportTable& table) {
  return MeasureThreadPath(plan.round_trip_runs, Program("reexec_worker_fast"),
                           table);
}

// The parts of the benchmark, in the table's order, by --only name.
using Measure = absl::Status (*)(const Plan&, ReportTable&);
const std::vector<std::pair<std::string, Measure>>& Parts() {
  static const auto* parts = new std::vector<std::pair<std::string, Measure>>{
      {"startup", &MeasureStartup},
      {"switching", &MeasureSwitching},
      {"roundtrip", &MeasureRoundTrips},
      {"forkserver", &MeasureForkServer},
      {"echo", &MeasureEcho},
      {"scale", &MeasureScale},
      {"nsinspect", &MeasureNsinspectTargets},
      {"threads", &MeasureNamespaceThreads}};
  return *parts;
}

absl::Status Run(bool quick, const std::string& only) {
  const Plan plan = quick ? QuickPlan() : Plan();
  std::cout << "gons benchmark" << (quick ? " (--quick: not for figures)" : "")
            << "\n"
            << DescribeMachine() << "\nload average at start: " << LoadAverage()
            << "\n\n"
            << std::flush;
  ReportTable table;
  for (const auto& [part, measure] : Parts()) {
    if (!only.empty() && only != part) continue;
    if (absl::Status status = measure(plan, table); !status.ok()) return status;
  }
  table.Print(std::cout);
  std::cout << "\nload average at end: " << LoadAverage()
            << ". ref.: figures measured before on this machine kind (the "
               "Go original's among them), quoted, not measured in this run. "
               "Ratios are of times (lower is faster) but for speed-ups.\n";
  return absl::OkStatus();
}

}  // namespace
}  // namespace gons::bench

int main(int argc, char** argv) {
  bool quick = false;
  bool known = true;
  std::string only;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (const std::string& arg : args) {
    if (arg == "--quick") {
      quick = true;
    } else if (absl::StartsWith(arg, "--only=")) {
      only = arg.substr(std::strlen("--only="));
      known = false;
      for (const auto& part : gons::bench::Parts()) {
        if (part.first == only) known = true;
      }
    } else {
      known = false;
    }
    if (!known) break;
  }
  if (!known) {
    std::cerr << "usage: bench [--quick] "
                 "[--only=startup|switching|roundtrip|forkserver|echo|scale|"
                 "nsinspect|threads]\n";
    return 1;
  }
  if (const absl::Status status = gons::bench::Run(quick, only); !status.ok()) {
    std::cerr << "bench: " << status << "\n";
    return 1;
  }
  return 0;
}
