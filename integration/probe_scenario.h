// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: probe_scenario.h
// -----------------------------------------------------------------------------
//
// The base fixture of scenario tests that start the probe (//tools/probe, a
// program linked with //gons) with gons_* variables. Every probe run is also
// checked for what must hold after any start of a gons program: the
// switcher's variables are gone from its environment and it left no
// descriptor open.
//
// Example:
//
//   class MyTest : public ProbeScenarioTest {};
//
//   TEST_P(MyTest, MissingPathIsNotFound) {
//     const ProbeOutput out = Probe({"gons_mnt=/nonexistent"});
//     EXPECT_EQ(out.code, "NOT_FOUND") << out.raw;
//   }

#ifndef GONS_INTEGRATION_PROBE_SCENARIO_H_
#define GONS_INTEGRATION_PROBE_SCENARIO_H_

#include <memory>
#include <string>
#include <vector>

#include "integration/probe_runner.h"
#include "integration/scenario.h"

namespace gons::integration {

class ProbeScenarioTest : public ScenarioTest {
 protected:
  // Does ScenarioTest::SetUp(), then copies the probe for this test.
  void SetUp() override;

  // Runs `program` (default: this test's probe copy) as the scenario's user
  // with `variables` added to a gons-free environment, and checks the
  // invariants above. Returns an empty output, with a test failure, when
  // the probe could not run or printed no JSON.
  ProbeOutput Probe(const std::vector<std::string>& variables,
                    const ProbeCopy* program = nullptr);

  // Returns the probe's report as "!user:entered net:failed ...".
  static std::string Outcomes(const ProbeOutput& output);

  std::unique_ptr<ProbeCopy> probe_;
};

}  // namespace gons::integration

#endif  // GONS_INTEGRATION_PROBE_SCENARIO_H_
