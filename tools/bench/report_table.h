// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: report_table.h
// -----------------------------------------------------------------------------
//
// The benchmark's one table: sections of rows, each with what was measured,
// its median and spread, a ratio against its floor, and the target or the
// reference it is held against. Printed as Markdown, so that it can go into
// the README as it is.
//
// Example:
//
//   ReportTable table;
//   table.Section("Startup");
//   table.Row("C floor", "1.02 ms [0.98-1.10]", "1.00x", "");
//   table.Print(std::cout);

#ifndef GONS_TOOLS_BENCH_REPORT_TABLE_H_
#define GONS_TOOLS_BENCH_REPORT_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

namespace gons::bench {

class ReportTable {
 public:
  // Starts a section: its rows follow under a bold heading row.
  void Section(const std::string& title);

  // Adds a row to the current section.
  void Row(const std::string& what, const std::string& measured,
           const std::string& ratio, const std::string& target);

  // Prints the table as Markdown, columns padded to line up.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// Formats `numerator / denominator` as "1.23x" ("-" when undefined).
std::string Ratio(double numerator, double denominator);

}  // namespace gons::bench

#endif  // GONS_TOOLS_BENCH_REPORT_TABLE_H_
