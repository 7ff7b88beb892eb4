// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: sample_summary.h
// -----------------------------------------------------------------------------
//
// Medians and spreads of repeated measurements, and the text the benchmark
// table shows for them.
//
// Example:
//
//   SampleSummary time = Summarize({1.9e6, 2.0e6, 2.4e6});
//   std::string text = FormatNanoseconds(time);  // "2.00 ms [1.9-2.4]"

#ifndef GONS_TOOLS_BENCH_SAMPLE_SUMMARY_H_
#define GONS_TOOLS_BENCH_SAMPLE_SUMMARY_H_

#include <string>
#include <vector>

namespace gons::bench {

// The median, and the 10th and 90th percentiles as the spread.
struct SampleSummary {
  double median = 0;
  double low = 0;   // 10th percentile.
  double high = 0;  // 90th percentile.
  int count = 0;
};

// Summarizes `values` (any order; empty gives zeros). Thread-safe.
SampleSummary Summarize(std::vector<double> values);

// Formats a summary of nanoseconds: "1.93 ms [1.88-2.10]" (the spread in
// the median's unit). Thread-safe.
std::string FormatNanoseconds(const SampleSummary& summary);

// Formats bytes moved in a summary of nanoseconds as a rate:
// "312 MB/s [290-330]" (MB = 10^6 bytes). Thread-safe.
std::string FormatRate(double bytes, const SampleSummary& nanoseconds);

}  // namespace gons::bench

#endif  // GONS_TOOLS_BENCH_SAMPLE_SUMMARY_H_
