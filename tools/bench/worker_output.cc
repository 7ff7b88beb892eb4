// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/bench/worker_output.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace gons::bench {

std::map<std::string, std::vector<std::vector<double>>> ParseWorker(
    const std::string& output) {
  std::map<std::string, std::vector<std::vector<double>>> lines;
  for (absl::string_view line :
       absl::StrSplit(output, '\n', absl::SkipEmpty())) {
    std::vector<std::string> words = absl::StrSplit(line, ' ');
    std::vector<double> numbers;
    for (std::size_t i = 1; i < words.size(); ++i) {
      double number = 0;
      if (absl::SimpleAtod(words[i], &number)) numbers.push_back(number);
    }
    lines[words[0]].push_back(numbers);
  }
  return lines;
}

std::vector<double> Column(const std::vector<std::vector<double>>& rows,
                           std::size_t column) {
  std::vector<double> values;
  for (const auto& row : rows) {
    if (column < row.size()) values.push_back(row[column]);
  }
  return values;
}

}  // namespace gons::bench
