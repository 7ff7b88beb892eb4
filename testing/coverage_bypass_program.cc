// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A test program that bypasses //testing: its main() calls the plain
// gons::reexec::CheckAction(), as a test that linked GoogleTest's own
// gtest_main would not even do. coverage_test runs it to show what the
// wrapper prevents.
//
// Usage: coverage_bypass_program USER_NAMESPACE MOUNT_NAMESPACE
//
// Runs the "count-mounts" action in a child that enters both namespaces
// (paths such as /proc/PID/ns/user), and prints two lines: the status of
// the call, then the child's stderr with its newlines escaped as "\n".
// Exits 0 when the call succeeded, 1 when it failed, 2 on a usage error.

#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_replace.h"
#include "reexec/reexec.h"
#include "testing/count_mounts_action.h"

int main(int argc, char** argv) {
  gons::reexec::CheckAction();
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s USER_NAMESPACE MOUNT_NAMESPACE\n", argv[0]);
    return 2;
  }
  int mounts = 0;
  std::string child_stderr;
  const absl::Status status = gons::reexec::RunReexecAction(
      gons::reexec::kCountMountsAction,
      gons::reexec::Namespaces({{"user", argv[1]}, {"mnt", argv[2]}}),
      gons::reexec::Result(&mounts),
      gons::reexec::StandardError(&child_stderr));
  std::printf("%s\n%s\n", status.ToString().c_str(),
              absl::StrReplaceAll(child_stderr, {{"\n", "\\n"}}).c_str());
  return status.ok() ? 0 : 1;
}
