// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: worker_output.h
// -----------------------------------------------------------------------------
//
// Reads what reexec_worker prints: lines of a label and numbers, such as
// "echo 52.1 812 640 300 280 41.5", gathered into rows by label.
//
// Example:
//
//   const auto rows = ParseWorker(run->output)["echo"];
//   const SampleSummary times = Summarize(Column(rows, 0));

#ifndef GONS_TOOLS_BENCH_WORKER_OUTPUT_H_
#define GONS_TOOLS_BENCH_WORKER_OUTPUT_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace gons::bench {

// Parses the worker's "LABEL NUMBER..." lines into rows by label; words
// that are no number are left out of a row. Thread-safe.
std::map<std::string, std::vector<std::vector<double>>> ParseWorker(
    const std::string& output);

// Returns the `column`-th number of each of `rows` that has one.
// Thread-safe.
std::vector<double> Column(const std::vector<std::vector<double>>& rows,
                           std::size_t column);

}  // namespace gons::bench

#endif  // GONS_TOOLS_BENCH_WORKER_OUTPUT_H_
