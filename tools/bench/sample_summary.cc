// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/bench/sample_summary.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"

namespace gons::bench {
namespace {

// Linear interpolation between the closest ranks.
double Percentile(const std::vector<double>& sorted, double fraction) {
  const double rank = fraction * static_cast<double>(sorted.size() - 1);
  const std::size_t below = static_cast<std::size_t>(std::floor(rank));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] +
         (rank - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

// Three significant digits or so, without an exponent.
std::string Short(double value) {
  if (value >= 100) return absl::StrFormat("%.0f", value);
  if (value >= 10) return absl::StrFormat("%.1f", value);
  return absl::StrFormat("%.2f", value);
}

}  // namespace

SampleSummary Summarize(std::vector<double> values) {
  SampleSummary summary;
  if (values.empty()) return summary;
  std::sort(values.begin(), values.end());
  summary.median = Percentile(values, 0.5);
  summary.low = Percentile(values, 0.1);
  summary.high = Percentile(values, 0.9);
  summary.count = static_cast<int>(values.size());
  return summary;
}

std::string FormatNanoseconds(const SampleSummary& summary) {
  double scale = 1;
  const char* unit = "ns";
  if (summary.median >= 1e9) {
    scale = 1e9, unit = "s";
  } else if (summary.median >= 1e6) {
    scale = 1e6, unit = "ms";
  } else if (summary.median >= 1e3) {
    scale = 1e3, unit = "us";
  }
  return absl::StrFormat("%s %s [%s-%s]", Short(summary.median / scale), unit,
                         Short(summary.low / scale),
                         Short(summary.high / scale));
}

std::string FormatRate(double bytes, const SampleSummary& nanoseconds) {
  // The slowest time gives the lowest rate.
  auto rate = [bytes](double time) { return bytes / time * 1e3; };  // MB/s
  return absl::StrFormat("%s MB/s [%s-%s]", Short(rate(nanoseconds.median)),
                         Short(rate(nanoseconds.high)),
                         Short(rate(nanoseconds.low)));
}

}  // namespace gons::bench
