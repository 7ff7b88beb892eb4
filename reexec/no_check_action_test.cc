// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A program that forgot CheckAction(): RunReexecAction() must say how to fix
// it instead of starting a child that would run the test suite again.

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reexec/reexec.h"

namespace gons::reexec {
namespace {

using ::testing::HasSubstr;

const bool registered = [] {
  Register("noop", [] {});
  return true;
}();

TEST(NoCheckActionTest, RunReexecActionNamesTheFix) {
  const absl::Status status = RunReexecAction("noop");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("CheckAction()"));
}

}  // namespace
}  // namespace gons::reexec

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
