// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: scenario.h
// -----------------------------------------------------------------------------
//
// A scenario is one way to run an end-to-end test: which tool makes the
// throwaway namespaces (unshare or bwrap) and who runs the programs (root or
// an unprivileged user). ScenarioTest is the base fixture of tests
// parameterized over scenarios: it skips, with the reason, a scenario the
// host cannot run (a failure under GONS_MUST_WORK=1), makes holders with
// the scenario's tool and user, and counts the scenario for the harness's
// tally (see harness_environment.h).
//
// Example:
//
//   class MyTest : public ScenarioTest {};
//
//   TEST_P(MyTest, SeesTheHostName) {
//     std::unique_ptr<NamespaceHolder> holder =
//         Hold({"user", "uts"}, "hostname inner");
//     ASSERT_NE(holder, nullptr);
//     ...
//   }
//
//   INSTANTIATE_TEST_SUITE_P(Scenarios, MyTest,
//                            ::testing::ValuesIn(AllScenarios()),
//                            ScenarioName);

#ifndef GONS_INTEGRATION_SCENARIO_H_
#define GONS_INTEGRATION_SCENARIO_H_

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/namespace_launcher.h"

namespace gons::integration {

// A holder setup script (see Hold()) that makes the holder's /tmp a private
// tmpfs and bind-mounts the holder's own net namespace file at
// /tmp/gons-net: a namespace reference that exists only in the holder's
// mount namespace. Needs the types user (rootless), mnt and net.
inline constexpr char kPrivateNetReferenceSetup[] = R"(
mount -t tmpfs gons-private /tmp
touch /tmp/gons-net
mount --bind /proc/$$/ns/net /tmp/gons-net
)";

struct Scenario {
  Launcher launcher;
  Privilege privilege;
};

// Prints "bwrap, rootless" and the like, for GoogleTest's messages.
void PrintTo(const Scenario& scenario, std::ostream* out);

// Returns every launcher with every available privilege: unshare and bwrap,
// each as root (when the test runs as root) and rootless.
std::vector<Scenario> AllScenarios();

// Returns the scenarios of `launcher` only, with AvailablePrivileges().
std::vector<Scenario> ScenariosOf(Launcher launcher);

// Returns "bwrap_rootless" and the like, for INSTANTIATE_TEST_SUITE_P.
std::string ScenarioName(const ::testing::TestParamInfo<Scenario>& info);

class ScenarioTest : public ::testing::TestWithParam<Scenario> {
 protected:
  // Skips (or, under GONS_MUST_WORK=1, fails) when the scenario cannot run
  // here. Derived fixtures call it first and return if IsSkipped() or
  // HasFatalFailure().
  void SetUp() override;

  // Counts the scenario for the harness's tally.
  void TearDown() override;

  // Fixtures whose tests make and enter no namespace set this to false in
  // their constructor: SetUp() then checks only the privilege, so that they
  // also run on hosts that refuse namespaces.
  bool needs_namespaces_ = true;

  Launcher launcher() const { return GetParam().launcher; }
  Privilege privilege() const { return GetParam().privilege; }

  // Returns whether programs must drop root to run as the scenario's user.
  bool drop() const { return MustDropPrivileges(privilege()); }

  // Returns a holder in new namespaces of `types` made by the scenario's
  // launcher as its user, after `setup` ran in them; nullptr, with a test
  // failure, when it cannot be started.
  std::unique_ptr<NamespaceHolder> Hold(const std::vector<std::string>& types,
                                        absl::string_view setup = "");

  // Returns the inode of the namespace at `path` (0, with a test failure,
  // when it cannot be read).
  static unsigned long long Id(const std::string& path);
};

}  // namespace gons::integration

#endif  // GONS_INTEGRATION_SCENARIO_H_
