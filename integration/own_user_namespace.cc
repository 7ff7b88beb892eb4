// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "integration/own_user_namespace.h"

#include <sched.h>
#include <unistd.h>

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "integration/subprocess.h"

namespace gons::integration {

std::vector<std::string> UnshareOptions(int clone_flags, int* unknown) {
  static constexpr struct {
    int flag;
    const char* option;
  } kOptions[] = {{CLONE_NEWNET, "--net"},
                  {CLONE_NEWUTS, "--uts"},
                  {CLONE_NEWIPC, "--ipc"},
                  {CLONE_NEWCGROUP, "--cgroup"},
                  {CLONE_NEWNS, "--mount"}};
  std::vector<std::string> options;
  int left = clone_flags;
  for (const auto& entry : kOptions) {
    if ((clone_flags & entry.flag) == 0) continue;
    options.emplace_back(entry.option);
    left &= ~entry.flag;
  }
  *unknown = left;
  if (left != 0) options.clear();
  return options;
}

bool BelongsToThisTestRun(const std::string& entry) {
  for (absl::string_view prefix :
       {"GTEST_", "TESTBRIDGE_", "XML_OUTPUT_FILE=",
        "TEST_PREMATURE_EXIT_FILE=", "TEST_SHARD_", "TEST_TOTAL_SHARDS=",
        "TEST_WARNINGS_OUTPUT_FILE=", "TEST_INFRASTRUCTURE_FAILURE_FILE=",
        "TEST_UNUSED_RUNFILES_LOG_FILE="}) {
    if (absl::StartsWith(entry, prefix)) return true;
  }
  return false;
}

std::string SkipCause(const std::string& output) {
  constexpr char kSkipped[] = ": Skipped\n";
  const size_t start = output.find(kSkipped);
  if (start == std::string::npos) return "(no cause given)";
  absl::string_view cause =
      absl::string_view(output).substr(start + sizeof(kSkipped) - 1);
  cause = cause.substr(0, cause.find("\n["));
  return std::string(absl::StripTrailingAsciiWhitespace(cause));
}

void RunCurrentTestInOwnUserNamespace(int clone_flags) {
  int unknown = 0;
  const std::vector<std::string> namespaces =
      UnshareOptions(clone_flags, &unknown);
  ASSERT_EQ(unknown, 0) << "no unshare option for these clone flags";
  char binary[4096] = {};
  const ssize_t length = readlink("/proc/self/exe", binary, sizeof(binary) - 1);
  ASSERT_GT(length, 0) << "readlink /proc/self/exe";
  const ::testing::TestInfo* test =
      ::testing::UnitTest::GetInstance()->current_test_info();
  ASSERT_NE(test, nullptr) << "called outside a test";
  SubprocessOptions options;
  options.argv = {"/usr/bin/unshare", "--user", "--map-root-user"};
  options.argv.insert(options.argv.end(), namespaces.begin(), namespaces.end());
  options.argv.insert(options.argv.end(),
                      {"--", std::string(binary, static_cast<size_t>(length)),
                       absl::StrCat("--gtest_filter=", test->test_suite_name(),
                                    ".", test->name()),
                       "--gtest_color=no"});
  for (const std::string& entry : CleanEnvironment()) {
    if (!BelongsToThisTestRun(entry)) options.environment.push_back(entry);
  }
  const absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
  ASSERT_TRUE(result.ok()) << result.status();
  const std::string& output = result->standard_output;
  const std::string report = absl::StrCat(
      "the copy in its own user namespace exited ", result->exit_code,
      " (signal ", result->signal, "):\n", output, result->standard_error);
  if (result->exit_code != 0) {
    ADD_FAILURE() << report;
    return;
  }
  if (absl::StrContains(output, "\n[  SKIPPED ] 1 test,")) {
    GTEST_SKIP() << "in its own user namespace: " << SkipCause(output);
  }
  // A filter that matched nothing would also exit 0.
  EXPECT_TRUE(absl::StrContains(output, "\n[  PASSED  ] 1 test.")) << report;
}

}  // namespace gons::integration
