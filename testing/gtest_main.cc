// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A drop-in for GoogleTest's gtest_main in test binaries that re-execute
// themselves: in a re-executed child it runs the requested action and exits
// without running the test suite again; otherwise it runs the tests. See
// check_action.h.

#include "gtest/gtest.h"
#include "testing/check_action.h"

int main(int argc, char** argv) {
  gons::reexec::CheckActionInTest();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
