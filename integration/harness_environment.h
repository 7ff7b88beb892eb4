// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: harness_environment.h
// -----------------------------------------------------------------------------
//
// The global GoogleTest environment of the integration tests. Before the
// first test it makes the test process a child subreaper, so that any
// process a test starts, and every orphan of those (a holder whose launcher
// died first), is this process's to reap. After the last test it checks that
// nothing was left behind, and fails the run otherwise:
//
//   - no namespace holder is alive;
//   - the test process has no child left, running or zombie (any found is
//     named, killed and reaped, so that the leak does not outlive the run);
//   - no mount of the harness (a `gons-*` source, or a mount point below
//     /tmp/gons-*) is in the test's mount namespace.
//
// It also prints how many scenarios ran (passed) as root and how many
// rootless, how many were skipped and how many failed (and records the first
// two as properties in the test XML); with GONS_MUST_WORK=1 a run in which no
// scenario ran rootless fails.
//
// Example (at namespace scope in a test file):
//
//   ::testing::Environment* const kHarness =
//       ::testing::AddGlobalTestEnvironment(new HarnessEnvironment);
//
//   void TearDown() override { CountScenario(GetParam(), IsSkipped()); }

#ifndef GONS_INTEGRATION_HARNESS_ENVIRONMENT_H_
#define GONS_INTEGRATION_HARNESS_ENVIRONMENT_H_

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "integration/host_support.h"

namespace gons::integration {

class HarnessEnvironment : public ::testing::Environment {
 public:
  // Makes this process a child subreaper.
  void SetUp() override;

  // Checks for leftovers and prints the tally.
  void TearDown() override;
};

// Counts one scenario for the tally: it ran as `privilege`, was skipped, or
// failed (the current test has a failure: it proves nothing ran). Call from
// a fixture's TearDown(). Thread-safe.
void CountScenario(Privilege privilege, bool skipped);

// Returns the mounts in this process's mount namespace that the harness
// made (see the file comment), one /proc/self/mountinfo line each.
std::vector<std::string> HarnessMounts();

// Kills and reaps every child of this process; returns a description
// ("PID (COMMAND)") of each that was still there. Not thread-safe with
// anything else that starts or reaps children.
std::vector<std::string> ReapLeftoverChildren();

}  // namespace gons::integration

#endif  // GONS_INTEGRATION_HARNESS_ENVIRONMENT_H_
