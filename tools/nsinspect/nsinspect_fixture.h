// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: nsinspect_fixture.h
// -----------------------------------------------------------------------------
//
// What the end-to-end tests of the nsinspect program share: a fixture,
// parameterized by privilege (root, or the unprivileged user), that runs a
// copy of the program the unprivileged user can execute; throwaway
// namespaces with known content made by unshare or bwrap; and helpers that
// decode and search nsinspect's --json output. Test-only.
//
// Example:
//
//   class NsinspectMountTest : public NsinspectFixture {};
//   TEST_P(NsinspectMountTest, ShowsTmpfs) {
//     auto holder = Hold(kUnshareLauncher, kUnshareSetup);
//     NamespaceView view =
//         ViewOf(RunJson({"--pid", absl::StrCat(holder->pid())}, 0), 0);
//     EXPECT_NE(FindMount(view, "/mnt"), nullptr);
//   }
//   INSTANTIATE_TEST_SUITE_P(Privileges, NsinspectMountTest,
//                            PrivilegeValues(), PrivilegeTestName);

#ifndef GONS_TOOLS_NSINSPECT_NSINSPECT_FIXTURE_H_
#define GONS_TOOLS_NSINSPECT_NSINSPECT_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/probe_runner.h"
#include "integration/subprocess.h"
#include "rapidjson/document.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {

// A user, mount, uts, net and IPC namespace with known content: host name
// gons-unshare, a veth pair gons0/gons1 with 10.199.0.1/24 on gons0, a
// tmpfs "gons-unshare-tmpfs" on /mnt, and a 4096-byte System V segment.
extern const std::vector<std::string> kUnshareLauncher;
extern const char kUnshareSetup[];

// The same kinds, plus a PID namespace with its own /proc, made by bwrap:
// host name gons-bwrap, 10.199.1.1/24 on lo, a tmpfs on /mnt and a System
// V message queue.
extern const std::vector<std::string> kBwrapLauncher;
extern const char kBwrapSetup[];

// Returns the view of target `index` of nsinspect's --json output, adding
// a test failure when the target is not ok or its view does not decode.
NamespaceView ViewOf(const rapidjson::Document& json, int index);

// Returns the interface named `name`, or null.
const NetworkInterface* FindInterface(const NamespaceView& view,
                                      const std::string& name);

// Returns the topmost mount on `point`, or null.
const Mount* FindMount(const NamespaceView& view, const std::string& point);

// Returns the non-empty lines of `text`.
std::vector<std::string> Lines(const std::string& text);

// Returns the privileges this host can test, and their test-name suffixes.
std::vector<integration::Privilege> PrivilegeValues();
std::string PrivilegeTestName(
    const ::testing::TestParamInfo<integration::Privilege>& param);

// Skips a test whose privilege is unavailable, and makes the copy of the
// nsinspect program that Run() runs.
class NsinspectFixture
    : public ::testing::TestWithParam<integration::Privilege> {
 protected:
  void SetUp() override;

  // Returns whether the test runs its programs as the unprivileged user.
  bool drop() const;

  // Starts a holder of fresh namespaces (see namespace_holder.h); null,
  // with a test failure, when it cannot be started.
  std::unique_ptr<integration::NamespaceHolder> Hold(
      const std::vector<std::string>& launcher, const std::string& setup);

  // Runs nsinspect with `arguments`, as the test's privilege says.
  integration::SubprocessResult Run(const std::vector<std::string>& arguments);

  // Runs `argv` (a program found on PATH, such as findmnt) as the test's
  // privilege says.
  integration::SubprocessResult RunTool(const std::vector<std::string>& argv);

  // Runs nsinspect --json with `arguments` and returns the parsed output,
  // adding a test failure when it does not exit with `expected_exit` or is
  // not JSON (then the result is `{"targets": []}`).
  rapidjson::Document RunJson(const std::vector<std::string>& arguments,
                              int expected_exit);

  std::unique_ptr<integration::ProbeCopy> nsinspect_;
};

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_NSINSPECT_FIXTURE_H_
