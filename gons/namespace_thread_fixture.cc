// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "gons/namespace_thread_fixture.h"

#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/own_user_namespace.h"
#include "integration/subprocess.h"

namespace gons::namespace_thread_testing {
namespace {

using ::gons::integration::NamespaceHolder;

// The namespaces of the copy that RunCurrentTestInOwnUserNamespace starts:
// a worker must be able to switch back into its process's namespaces, so
// they are owned by the same user namespace as the targets.
constexpr int kCopysNamespaces = kTypes;

}  // namespace

std::string HostName() {
  char buffer[65] = {};
  if (gethostname(buffer, sizeof(buffer) - 1) != 0) {
    return "(gethostname failed)";
  }
  return buffer;
}

// Runs the standard tool; returns its output, or a description of failure.
std::string RunTool(std::vector<std::string> argv,
                    const std::vector<std::string>& extra_environment,
                    bool unprivileged) {
  integration::SubprocessOptions options;
  options.argv = std::move(argv);
  options.environment = integration::CleanEnvironment(extra_environment);
  options.unprivileged = unprivileged;
  absl::StatusOr<integration::SubprocessResult> result =
      integration::RunSubprocess(options);
  if (!result.ok()) {
    return absl::StrCat("(not started: ", result.status().ToString(), ")");
  }
  if (result->exit_code != 0) {
    return absl::StrCat("(exit ", result->exit_code, ": ",
                        result->standard_error, ")");
  }
  return result->standard_output;
}

void NamespaceThreadTest::SetUp() {
  GONS_REQUIRE_NAMESPACES(integration::CurrentPrivilege(),
                          root_ ? kTypes : kTypes | CLONE_NEWUSER);
  mount_point_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/thread-mount");
  mkdir(mount_point_.c_str(), 0755);
  marker_ = mount_point_ + "/only-in-target";
  std::vector<std::string> launcher = {"unshare", "--net",    "--uts",
                                       "--ipc",   "--cgroup", "--mount"};
  if (!root_) {
    launcher.insert(launcher.begin() + 1, {"--user", "--map-root-user"});
  }
  absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder =
      NamespaceHolder::Start(
          launcher,
          absl::StrCat("hostname ", kTargetHostName, "; ip link add ",
                       kTargetInterface,
                       " type bridge; mount -t tmpfs "
                       "gons-thread '",
                       mount_point_, "'; echo inside > '", marker_, "'"),
          false);
  ASSERT_TRUE(holder.ok()) << holder.status();
  holder_ = *std::move(holder);
}

// The ordinary user's variant of a test that enters: see above.

void NamespaceThreadTest::RunInOwnUserNamespace() {
  integration::RunCurrentTestInOwnUserNamespace(kCopysNamespaces);
}

}  // namespace gons::namespace_thread_testing
