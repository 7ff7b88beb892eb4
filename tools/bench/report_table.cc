// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/bench/report_table.h"

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"

namespace gons::bench {

void ReportTable::Section(const std::string& title) {
  rows_.push_back({"**" + title + "**", "", "", ""});
}

void ReportTable::Row(const std::string& what, const std::string& measured,
                      const std::string& ratio, const std::string& target) {
  rows_.push_back({what, measured, ratio, target});
}

void ReportTable::Print(std::ostream& out) const {
  const std::vector<std::string> header = {"measurement", "median [p10-p90]",
                                           "ratio", "target or reference"};
  std::vector<std::size_t> widths;
  for (const std::string& cell : header) widths.push_back(cell.size());
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    out << "|";
    for (std::size_t i = 0; i < row.size(); ++i) {
      out << " " << row[i] << std::string(widths[i] - row[i].size(), ' ')
          << " |";
    }
    out << "\n";
  };
  print_row(header);
  std::vector<std::string> rule;
  for (std::size_t width : widths) rule.push_back(std::string(width, '-'));
  print_row(rule);
  for (const auto& row : rows_) print_row(row);
}

std::string Ratio(double numerator, double denominator) {
  if (denominator <= 0) return "-";
  return absl::StrFormat("%.2fx", numerator / denominator);
}

}  // namespace gons::bench
