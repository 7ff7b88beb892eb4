// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/bench/echo_throughput.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/bench/piped_child.h"
#include "tools/bench/report_table.h"
#include "tools/bench/sample_summary.h"
#include "tools/bench/worker_output.h"

namespace gons::bench {
namespace {

constexpr std::size_t kKiB = 1024;
constexpr std::size_t kMiB = 1024 * 1024;

// "64 KiB", "16 MiB".
std::string SizeName(std::size_t size) {
  return size % kMiB == 0 ? absl::StrCat(size / kMiB, " MiB")
                          : absl::StrCat(size / kKiB, " KiB");
}

// "412 KiB" or "6.2 MiB".
std::string KibName(double kib) {
  return kib < 1024 ? absl::StrFormat("%.0f KiB", kib)
                    : absl::StrFormat("%.1f MiB", kib / 1024);
}

}  // namespace

absl::Status MeasureThroughput(
    const std::vector<std::pair<std::size_t, int>>& sizes,
    const std::string& floor_echo, const std::string& reexec_worker,
    const std::vector<std::string>& environment, ReportTable& table) {
  for (const auto& [size, runs] : sizes) {
    table.Section(absl::StrCat("Param and result of ", SizeName(size),
                               " (a JSON string echoed; rate = size / time)"));
    const std::string payload(size, 'x');
    struct Floor {
      std::vector<std::string> argv;
      std::vector<std::string> environment;
      bool huge_pages;
      std::string what;
    };
    std::vector<std::string> echo_at_main = environment;
    echo_at_main.push_back("GONS_BENCH_ECHO_AT_MAIN=1");
    const std::vector<Floor> floors = {
        {{floor_echo, "sink"}, {}, false, "pipe, one way (child discards)"},
        {{floor_echo, "stream"}, {}, false, "streaming C relay"},
        {{floor_echo, "buffer"}, {}, false, "buffering C child, 4 KiB pages"},
        {{floor_echo, "buffer-huge"},
         {},
         true,
         "buffering C child, huge pages"},
        {{reexec_worker},
         echo_at_main,
         false,
         "floor: same binary, buffering echo in main(); static libstdc++"}};
    std::vector<std::vector<double>> times(floors.size());
    std::vector<std::vector<double>> cpu_times(floors.size());
    std::vector<std::vector<double>> echoes;
    for (int run = 0; run < runs; ++run) {
      for (std::size_t i = 0; i < floors.size(); ++i) {
        absl::StatusOr<PipedRun> result =
            RunPiped(floors[i].argv, floors[i].environment, payload,
                     floors[i].huge_pages);
        if (!result.ok()) return result.status();
        times[i].push_back(static_cast<double>(result->elapsed_nanoseconds));
        cpu_times[i].push_back(static_cast<double>(result->cpu_nanoseconds));
      }
      absl::StatusOr<PipedRun> echo = RunPiped(
          {reexec_worker, "echo", absl::StrCat(size)}, environment, "");
      if (!echo.ok()) return echo.status();
      const auto lines = ParseWorker(echo->output)["echo"];
      if (lines.empty() || lines[0].size() < 6) {
        return absl::InternalError("reexec_worker echo printed no figures");
      }
      echoes.push_back(lines[0]);
    }
    std::vector<SampleSummary> summary;
    for (const auto& samples : times) summary.push_back(Summarize(samples));
    const SampleSummary gons = Summarize(Column(echoes, 0));
    for (std::size_t i = 0; i < floors.size(); ++i) {
      table.Row(floors[i].what,
                FormatRate(static_cast<double>(size), summary[i]), "", "");
    }
    const bool largest = size == 64 * kMiB;
    table.Row("gons reexec echo (static libstdc++)",
              FormatRate(static_cast<double>(size), gons),
              Ratio(gons.median, summary[4].median),
              largest ? "<= 1.3x floor; > 300 MB/s (Go original, ref.: 75 "
                        "MB/s)"
                      : "<= 1.3x floor");
    table.Row("  against the buffering C child, 4 KiB / huge pages", "",
              absl::StrCat(Ratio(gons.median, summary[2].median), " / ",
                           Ratio(gons.median, summary[3].median)),
              "");
    // CPU time counts what the processes did, not what the machine's other
    // load made them wait: on a busy machine the better comparison.
    const SampleSummary gons_cpu = Summarize(Column(echoes, 5));
    const SampleSummary floor_cpu = Summarize(cpu_times[4]);
    table.Row("  CPU time, both processes: floor / gons",
              absl::StrCat(FormatNanoseconds(floor_cpu), " / ",
                           FormatNanoseconds(gons_cpu)),
              Ratio(gons_cpu.median, floor_cpu.median), "");
    const double parent_peak = Summarize(Column(echoes, 1)).median;
    const double child_peak = Summarize(Column(echoes, 2)).median;
    const double parent_rise = Summarize(Column(echoes, 1)).median -
                               Summarize(Column(echoes, 3)).median;
    const double child_rise = Summarize(Column(echoes, 2)).median -
                              Summarize(Column(echoes, 4)).median;
    const double payload_kib = static_cast<double>(size) / 1024;
    table.Row("  peak resident memory, parent / child",
              absl::StrCat(KibName(parent_peak), " / ", KibName(child_peak)),
              "", "");
    table.Row("  peak above resting, parent (its own payload included) / child",
              absl::StrCat(KibName(parent_rise), " / ", KibName(child_rise)),
              absl::StrFormat("%.1fx / %.1fx", parent_rise / payload_kib,
                              child_rise / payload_kib),
              "<= 3x payload each");
  }
  return absl::OkStatus();
}

}  // namespace gons::bench
