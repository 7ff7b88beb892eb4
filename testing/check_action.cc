// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "testing/check_action.h"

#include <iterator>
#include <string>
#include <utility>

#include "reexec/reexec.h"
#include "reexec/registry.h"
#include "testing/child_coverage.h"

namespace gons::reexec {
namespace {

// Bazel's and GoogleTest's test protocol: a child that inherited these
// could write the test's XML report, its premature-exit marker or its
// shard status as if it were the test.
constexpr const char* kTestProtocolVariables[] = {
    "XML_OUTPUT_FILE",   "GTEST_OUTPUT",       "TEST_PREMATURE_EXIT_FILE",
    "GTEST_SHARD_INDEX", "GTEST_TOTAL_SHARDS", "GTEST_SHARD_STATUS_FILE",
    "TEST_SHARD_INDEX",  "TEST_TOTAL_SHARDS",  "TEST_SHARD_STATUS_FILE",
};

}  // namespace

void CheckActionInTest() {
  internal::ProtectPassedDirectory();
  internal::SetChildExitHook(&internal::WriteChildCoverage);
  CheckAction();  // Does not return in a child.

  const internal::ChildCoverage coverage = internal::PrepareChildCoverage();
  internal::ChildLaunchSettings settings;
  settings.passed_descriptor = coverage.directory;
  settings.set_variables = coverage.variables;
  settings.removed_variables.assign(std::begin(kTestProtocolVariables),
                                    std::end(kTestProtocolVariables));
  internal::SetChildLaunchSettings(std::move(settings));
}

}  // namespace gons::reexec
