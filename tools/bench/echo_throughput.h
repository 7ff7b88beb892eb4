// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: echo_throughput.h
// -----------------------------------------------------------------------------
//
// The benchmark's rows for params and results: a JSON string echoed by
// reexec_worker's action, size by size, against the floors (a one-way pipe,
// a streaming and a buffering C child, the same binary echoing in main()),
// with the CPU time of both processes and their peak resident memory.
//
// Example:
//
//   ReportTable table;
//   absl::Status status = MeasureThroughput(
//       {{1024 * 1024, 20}}, floor_echo, reexec_worker, environment, table);

#ifndef GONS_TOOLS_BENCH_ECHO_THROUGHPUT_H_
#define GONS_TOOLS_BENCH_ECHO_THROUGHPUT_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "tools/bench/report_table.h"

namespace gons::bench {

// For each (size, runs) of `sizes`, times `runs` echoes of a payload of that
// size through each floor and through gons, interleaved, and adds a section
// to `table`. `floor_echo` and `reexec_worker` are the paths of the
// floor_echo and reexec_worker_fast programs; `environment` is passed to
// the programs that need PATH and the like. Fails with the first error.
// Not thread-safe (the figures would not be either).
absl::Status MeasureThroughput(
    const std::vector<std::pair<std::size_t, int>>& sizes,
    const std::string& floor_echo, const std::string& reexec_worker,
    const std::vector<std::string>& environment, ReportTable& table);

}  // namespace gons::bench

#endif  // GONS_TOOLS_BENCH_ECHO_THROUGHPUT_H_
