// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: namespace_thread_fixture.h
// -----------------------------------------------------------------------------
//
// The fixture of the RunInNamespaces tests (namespace_thread_entry_test.cc:
// entering and errors; namespace_thread_reuse_test.cc: workers' reuse and
// concurrency), and the helpers both use.
//
// Example:
//
//   TEST_F(NamespaceThreadTest, SeesTheTargetsHostName) {
//     if (!root_) return RunInOwnUserNamespace();
//     EXPECT_EQ(*RunInNamespaces({{"uts", Path("uts")}}, HostName),
//               kTargetHostName);
//   }

#ifndef GONS_GONS_NAMESPACE_THREAD_FIXTURE_H_
#define GONS_GONS_NAMESPACE_THREAD_FIXTURE_H_

#include <sched.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "integration/namespace_holder.h"

namespace gons::namespace_thread_testing {

// The target namespaces' own host name and interface.
inline constexpr char kTargetHostName[] = "gons-thread-target";
inline constexpr char kTargetInterface[] = "gons-thread0";
// The types of the target namespaces.
inline constexpr int kTypes =
    CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP | CLONE_NEWNS;

// Returns the calling thread's host name. Thread-safe.
std::string HostName();

// Runs the standard tool; returns its output, or a description of failure.
// Thread-safe.
std::string RunTool(std::vector<std::string> argv,
                    const std::vector<std::string>& extra_environment = {},
                    bool unprivileged = false);

// Throwaway net, uts, ipc, cgroup and mount namespaces, with a host name, an
// interface and a file (in a tmpfs under TEST_TMPDIR) of their own. Made as
// root when the test is root (the real one, or that of the user namespace of
// RunCurrentTestInOwnUserNamespace); otherwise inside a user namespace of the
// test's user. setns() from a thread needs CAP_SYS_ADMIN in the thread's own
// user namespace too, so an ordinary user's threads enter nothing from where
// the test starts: what applies to that user is entering namespaces owned by
// a user namespace of its own, so the tests that enter run again in one
// (RunCurrentTestInOwnUserNamespace), which makes its own targets.
class NamespaceThreadTest : public ::testing::Test {
 protected:
  // Skips when the host cannot make the namespaces; makes them.
  void SetUp() override;

  // Runs the ordinary user's variant of a test that enters: see above.
  static void RunInOwnUserNamespace();

  // Returns the path of the target namespace of `type`.
  std::string Path(absl::string_view type) const {
    return holder_->NamespacePath(type);
  }

  const bool root_ = geteuid() == 0;
  std::string mount_point_;
  std::string marker_;
  std::unique_ptr<integration::NamespaceHolder> holder_;
};

}  // namespace gons::namespace_thread_testing

#endif  // GONS_GONS_NAMESPACE_THREAD_FIXTURE_H_
