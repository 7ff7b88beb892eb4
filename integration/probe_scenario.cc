// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "integration/probe_scenario.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/probe_runner.h"
#include "integration/scenario.h"

namespace gons::integration {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

void ProbeScenarioTest::SetUp() {
  ScenarioTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  absl::StatusOr<ProbeCopy> probe = ProbeCopy::Create();
  ASSERT_TRUE(probe.ok()) << probe.status();
  probe_ = std::make_unique<ProbeCopy>(*std::move(probe));
}

ProbeOutput ProbeScenarioTest::Probe(const std::vector<std::string>& variables,
                                     const ProbeCopy* program) {
  if (program == nullptr) program = probe_.get();
  absl::StatusOr<ProbeOutput> output = program->Run(variables, drop());
  EXPECT_TRUE(output.ok()) << output.status();
  if (!output.ok()) return ProbeOutput();
  EXPECT_THAT(output->leftover_variables, IsEmpty()) << output->raw;
  EXPECT_THAT(output->open_descriptors, ElementsAre(0, 1, 2)) << output->raw;
  EXPECT_EQ(output->exit_code, output->ok ? 0 : 2) << output->raw;
  return *std::move(output);
}

std::string ProbeScenarioTest::Outcomes(const ProbeOutput& output) {
  std::vector<std::string> outcomes;
  for (const ProbeReportEntry& entry : output.report) {
    outcomes.push_back(absl::StrCat(entry.open_early ? "!" : "", entry.type,
                                    ":", entry.outcome));
  }
  return absl::StrJoin(outcomes, " ");
}

}  // namespace gons::integration
