// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: leak_check.h
// -----------------------------------------------------------------------------
//
// What a test of the reexec runner checks after each call: that the process
// holds the same descriptors as before and has no child left, running or
// zombie; NoLeakTest checks both around every test of a suite. Test-only.
//
// Example:
//
//   const std::vector<int> before = OpenDescriptors();
//   (void)RunReexecAction("crash");
//   EXPECT_EQ(OpenDescriptors(), before);
//   EXPECT_EQ(ChildrenLeft(), "");
//
//   using ChildFaultsTest = leak_check::NoLeakTest;
//   TEST_F(ChildFaultsTest, CrashIsAFailure) { ... }

#ifndef GONS_REEXEC_LEAK_CHECK_H_
#define GONS_REEXEC_LEAK_CHECK_H_

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gons::reexec::leak_check {

// Returns the descriptors open in this process, in increasing order (read
// from /proc/self/fd, without the one used to read it). Thread-safe, but
// another thread opening or closing descriptors meanwhile changes the answer.
std::vector<int> OpenDescriptors();

// Returns "" when this process has no child process, otherwise names one
// ("pid 123 (zombie)"). Does not reap. Thread-safe.
std::string ChildrenLeft();

// A fixture whose every test must end with the descriptors it began with
// and no child process left. Tests that start threads must join them
// before they end.
class NoLeakTest : public ::testing::Test {
 protected:
  void SetUp() override { descriptors_ = OpenDescriptors(); }
  void TearDown() override {
    EXPECT_EQ(OpenDescriptors(), descriptors_);
    EXPECT_EQ(ChildrenLeft(), "");
  }

 private:
  std::vector<int> descriptors_;
};

}  // namespace gons::reexec::leak_check

#endif  // GONS_REEXEC_LEAK_CHECK_H_
