// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Coverage across re-execution, proven with the coverage tools that
// `bazel coverage` runs (tools/deps/coverage_tools.py): the lines of the
// "count-mounts" action, which only children run, count when the test
// links //testing:gtest_main (this test), and are lost when a program
// bypasses it (coverage_bypass_program). The children enter a user and a
// mount namespace in which the coverage directory is hidden.
//
// Meaningful only under `bazel coverage`: the target is tagged manual, so
// that `bazel test //...` leaves it out, tools/coverage names it, and run
// anywhere else it fails.

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/namespace_holder.h"
#include "integration/probe_runner.h"
#include "integration/subprocess.h"
#include "reexec/reexec.h"
#include "testing/child_coverage.h"
#include "testing/count_mounts_action.h"

namespace gons::reexec {
namespace {

using ::testing::IsEmpty;

// What an lcov report says about one function of one source file.
struct FunctionCoverage {
  bool found = false;
  long long calls = 0;
};

FunctionCoverage FindFunction(const std::string& report,
                              absl::string_view source,
                              absl::string_view function) {
  FunctionCoverage coverage;
  bool in_source = false;
  std::istringstream lines(report);
  for (std::string line; std::getline(lines, line);) {
    if (absl::StartsWith(line, "SF:")) in_source = line.substr(3) == source;
    if (!in_source || !absl::StartsWith(line, "FNDA:")) continue;
    const std::vector<std::string> fields =
        absl::StrSplit(line.substr(5), absl::MaxSplits(',', 1));
    long long calls = 0;
    if (fields.size() == 2 && absl::StrContains(fields[1], function) &&
        absl::SimpleAtoi(fields[0], &calls)) {
      coverage.found = true;
      coverage.calls += calls;
    }
  }
  return coverage;
}

class CoverageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name :
         {"GCOV_PREFIX", "GCOV_PREFIX_STRIP", "ROOT", "COVERAGE_MANIFEST"}) {
      if (std::getenv(name) == nullptr || !internal::CoverageRuntimeLinked()) {
        GTEST_FAIL() << "not a coverage run (" << name
                     << " unset or no coverage runtime), so there is no "
                        "coverage to check: run it with `tools/coverage` or "
                        "`tools/bazel coverage //testing:coverage_test`";
      }
    }
  }

  // A user and mount namespace in which `hidden` is an empty read-only
  // tmpfs: paths below it neither exist nor can be created there.
  static std::unique_ptr<integration::NamespaceHolder> Hiding(
      const std::string& hidden) {
    absl::StatusOr<std::unique_ptr<integration::NamespaceHolder>> holder =
        integration::NamespaceHolder::Start(
            {"unshare", "--user", "--map-root-user", "--mount"},
            absl::StrCat("mount -t tmpfs -o ro tmpfs '", hidden, "'"),
            /*unprivileged=*/false);
    EXPECT_TRUE(holder.ok()) << holder.status();
    return holder.ok() ? *std::move(holder) : nullptr;
  }

  // Runs Bazel's lcov merger over `directory`, as Bazel does after a test,
  // and returns the report.
  static absl::StatusOr<std::string> MergeCoverage(
      const std::string& directory) {
    const std::string output =
        absl::StrCat(std::getenv("TEST_TMPDIR"), "/merged.dat");
    integration::SubprocessOptions options;
    // The merger finds the .gcno notes relative to the execution root.
    options.argv = {"/bin/sh",
                    "-c",
                    "cd \"$ROOT\" && exec \"$@\"",
                    "sh",
                    integration::RunfilePath("tools/deps/coverage_tools.py"),
                    "--coverage_dir=" + directory,
                    "--output_file=" + output,
                    absl::StrCat("--source_file_manifest=",
                                 std::getenv("COVERAGE_MANIFEST"))};
    options.environment = integration::CleanEnvironment();
    absl::StatusOr<integration::SubprocessResult> result =
        integration::RunSubprocess(options);
    if (!result.ok()) return result.status();
    if (result->exit_code != 0) {
      return absl::InternalError(absl::StrCat("coverage_tools.py exited ",
                                              result->exit_code, ": ",
                                              result->standard_error));
    }
    std::ifstream file(output);
    return std::string(std::istreambuf_iterator<char>(file), {});
  }
};

TEST_F(CoverageTest, CountsLinesThatOnlyAChildRuns) {
  const char* const prefix_variable = std::getenv("GCOV_PREFIX");
  ASSERT_NE(prefix_variable, nullptr);  // SetUp() fails without it.
  const std::string prefix = prefix_variable;
  std::unique_ptr<integration::NamespaceHolder> holder = Hiding(prefix);
  ASSERT_NE(holder, nullptr);
  int mounts = 0;
  std::string error;
  const absl::Status status =
      RunReexecAction(kCountMountsAction,
                      Namespaces({{"user", holder->NamespacePath("user")},
                                  {"mnt", holder->NamespacePath("mnt")}}),
                      Result(&mounts), StandardError(&error));
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_GT(mounts, 0);
  EXPECT_THAT(error, IsEmpty());

  // This process writes its own data only when it exits: what is there now
  // is the children's.
  absl::StatusOr<std::string> report = MergeCoverage(
      absl::StrCat(prefix, "/", internal::kChildCoverageDirectory));
  ASSERT_TRUE(report.ok()) << report.status();
  const FunctionCoverage count_mounts =
      FindFunction(*report, kCountMountsSource, "CountMounts");
  EXPECT_TRUE(count_mounts.found) << *report;
  EXPECT_GE(count_mounts.calls, 1) << *report;
}

TEST_F(CoverageTest, BypassingTheWrapperLosesThem) {
  const std::string prefix =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/bypassed");
  ASSERT_EQ(mkdir(prefix.c_str(), 0755), 0) << std::strerror(errno);
  std::unique_ptr<integration::NamespaceHolder> holder = Hiding(prefix);
  ASSERT_NE(holder, nullptr);
  integration::SubprocessOptions options;
  options.argv = {integration::RunfilePath("testing/coverage_bypass_program"),
                  holder->NamespacePath("user"), holder->NamespacePath("mnt")};
  for (std::string& entry : integration::CleanEnvironment()) {
    if (!absl::StartsWith(entry, "GCOV_PREFIX=")) {
      options.environment.push_back(std::move(entry));
    }
  }
  options.environment.push_back("GCOV_PREFIX=" + prefix);
  absl::StatusOr<integration::SubprocessResult> result =
      integration::RunSubprocess(options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->exit_code, 0)
      << result->standard_output << result->standard_error;
  // The plain runner ends a child with _exit(), so the child wrote nothing
  // (and could not have: the directory is hidden from it).
  EXPECT_EQ(result->standard_output, "OK\n\n");

  absl::StatusOr<std::string> report = MergeCoverage(prefix);
  ASSERT_TRUE(report.ok()) << report.status();
  const FunctionCoverage count_mounts =
      FindFunction(*report, kCountMountsSource, "CountMounts");
  EXPECT_TRUE(count_mounts.found) << *report;
  EXPECT_EQ(count_mounts.calls, 0) << *report;
}

}  // namespace
}  // namespace gons::reexec
