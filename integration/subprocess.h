// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: subprocess.h
// -----------------------------------------------------------------------------
//
// Runs a program for a test: a chosen environment, optionally as the
// unprivileged user, and collects its stdout, stderr and exit. The child gets
// only descriptors 0, 1 and 2, so a test can see any descriptor the program
// itself leaks. Test-only; single-threaded callers (it forks).
//
// Example:
//
//   SubprocessOptions options;
//   options.argv = {"/bin/echo", "hi"};
//   absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
//   ASSERT_TRUE(result.ok());
//   EXPECT_EQ(result->standard_output, "hi\n");

#ifndef GONS_INTEGRATION_SUBPROCESS_H_
#define GONS_INTEGRATION_SUBPROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gons::integration {

// The user that "rootless" tests run as.
inline constexpr uid_t kUnprivilegedUid = 65534;
inline constexpr gid_t kUnprivilegedGid = 65534;

struct SubprocessOptions {
  std::vector<std::string> argv;         // argv[0] is a path, not searched.
  std::vector<std::string> environment;  // The whole environment.
  bool unprivileged = false;   // Run as kUnprivilegedUid (caller is root).
  std::string standard_input;  // Written to the child, then closed.
};

struct SubprocessResult {
  int exit_code = -1;  // -1 when killed by a signal.
  int signal = 0;      // The signal that killed it, or 0.
  std::string standard_output;
  std::string standard_error;
};

// Runs the program to completion. Fails only when it could not be started.
absl::StatusOr<SubprocessResult> RunSubprocess(
    const SubprocessOptions& requested);

// Starts the program with pipes to its stdin and stdout; its stderr is the
// test's. For long-running helpers; the caller reaps `pid`.
struct RunningProcess {
  pid_t pid = -1;
  int standard_input = -1;   // Write end; close it to signal EOF.
  int standard_output = -1;  // Read end.
};
absl::StatusOr<RunningProcess> StartSubprocess(
    const SubprocessOptions& options);

// The environment of this process, minus every variable starting with gons_,
// plus `extra` ("NAME=VALUE" entries).
std::vector<std::string> CleanEnvironment(
    const std::vector<std::string>& extra = {});

}  // namespace gons::integration

#endif  // GONS_INTEGRATION_SUBPROCESS_H_
