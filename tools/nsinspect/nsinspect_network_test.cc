// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: interfaces and addresses as nsinspect reports them, with the
// standard tool (ip, run in the same namespace through nsenter) as the
// oracle.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/probe_runner.h"
#include "integration/subprocess.h"
#include "rapidjson/document.h"
#include "tools/nsinspect/nsinspect_fixture.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {
namespace {

using ::gons::integration::SubprocessResult;
using ::testing::HasSubstr;

class NsinspectNetworkTest : public NsinspectFixture {};

// An IPv4 address label is a label of that address, not an interface: the
// interfaces are what `ip -o link` lists in the same namespace.
TEST_P(NsinspectNetworkTest, AddressLabelsAreLabelsNotInterfaces) {
  auto holder = Hold(kUnshareLauncher, std::string(kUnshareSetup) +
                                           "ip addr add 10.199.3.1/24 dev "
                                           "gons0 label gons0:al\n");
  ASSERT_NE(holder, nullptr);
  const std::string pid = absl::StrCat(holder->pid());
  const rapidjson::Document json = RunJson({"--pid", pid}, 0);
  const NamespaceView view = ViewOf(json, 0);
  EXPECT_EQ(FindInterface(view, "gons0:al"), nullptr);
  const NetworkInterface* gons0 = FindInterface(view, "gons0");
  ASSERT_NE(gons0, nullptr);
  std::vector<std::string> addresses;
  for (const InterfaceAddress& address : gons0->addresses) {
    if (address.family == "inet") {
      addresses.push_back(absl::StrCat(
          address.address, "/", address.prefix_length, " ", address.label));
    }
  }
  EXPECT_THAT(addresses, ::testing::ElementsAre("10.199.0.1/24 ",
                                                "10.199.3.1/24 gons0:al"));
  const SubprocessResult table = Run({"--pid", pid});
  EXPECT_THAT(table.standard_output,
              HasSubstr("10.199.3.1/24 (label gons0:al)"));

  absl::StatusOr<std::string> nsenter = integration::FindProgram("nsenter");
  ASSERT_TRUE(nsenter.ok()) << nsenter.status();
  integration::SubprocessOptions options;
  options.argv = {
      *nsenter, "--target", pid,  "--user", "--preserve-credentials",
      "--net",  "ip",       "-o", "link",   "show"};
  options.environment = integration::CleanEnvironment();
  options.unprivileged = drop();
  absl::StatusOr<SubprocessResult> oracle = RunSubprocess(options);
  ASSERT_TRUE(oracle.ok()) << oracle.status();
  ASSERT_EQ(oracle->exit_code, 0) << oracle->standard_error;
  std::vector<std::string> expected;
  for (const std::string& line : Lines(oracle->standard_output)) {
    // "3: gons0@gons1: <...": the index and the name before any "@".
    const std::vector<std::string> parts = absl::StrSplit(line, ": ");
    ASSERT_GE(parts.size(), 2u) << line;
    expected.push_back(
        absl::StrCat(parts[0], " ", parts[1].substr(0, parts[1].find('@'))));
  }
  std::vector<std::string> seen;
  for (const NetworkInterface& interface : view.interfaces) {
    seen.push_back(absl::StrCat(interface.index, " ", interface.name));
  }
  EXPECT_EQ(seen, expected);
}

// A label naming another interface: ip(8) refuses to make one, so the
// helper sends RTM_NEWADDR itself, labelling an address of gons0 "gons1".
// The address stays on gons0, where `ip -o -4 addr` in the same namespace
// lists it, and the label is shown as a label.
TEST_P(NsinspectNetworkTest, LabelNamingAnotherInterfaceStaysOnItsOwn) {
  absl::StatusOr<integration::ProbeCopy> labeler =
      integration::ProbeCopy::Create("tools/nsinspect/address_labeler");
  ASSERT_TRUE(labeler.ok()) << labeler.status();
  auto holder =
      Hold(kUnshareLauncher, absl::StrCat(kUnshareSetup, "'", labeler->path(),
                                          "' gons0 10.199.6.1/24 gons1\n"));
  ASSERT_NE(holder, nullptr);
  const std::string pid = absl::StrCat(holder->pid());
  const NamespaceView view = ViewOf(RunJson({"--pid", pid}, 0), 0);
  const NetworkInterface* gons0 = FindInterface(view, "gons0");
  const NetworkInterface* gons1 = FindInterface(view, "gons1");
  ASSERT_NE(gons0, nullptr);
  ASSERT_NE(gons1, nullptr);
  std::vector<std::string> on_gons0;
  for (const InterfaceAddress& address : gons0->addresses) {
    if (address.family == "inet") {
      on_gons0.push_back(absl::StrCat(address.address, " ", address.label));
    }
  }
  EXPECT_THAT(on_gons0,
              ::testing::ElementsAre("10.199.0.1 ", "10.199.6.1 gons1"));
  for (const InterfaceAddress& address : gons1->addresses) {
    EXPECT_NE(address.address, "10.199.6.1");
  }
  EXPECT_THAT(Run({"--pid", pid}).standard_output,
              ::testing::ContainsRegex(absl::StrCat(
                  "\n  ", gons0->index,
                  " +gons0 [^\n]* 10\\.199\\.6\\.1/24 \\(label gons1\\)")));

  const SubprocessResult oracle =
      RunTool({"nsenter", "--target", pid, "--user", "--preserve-credentials",
               "--net", "ip", "-o", "-4", "addr", "show"});
  ASSERT_EQ(oracle.exit_code, 0) << oracle.standard_error;
  std::vector<std::string> holders_of_address;
  for (const std::string& line : Lines(oracle.standard_output)) {
    // "3: gons0    inet 10.199.6.1/24 scope global gons1\ ...".
    if (line.find(" 10.199.6.1/24 ") == std::string::npos) continue;
    const std::vector<std::string> parts =
        absl::StrSplit(line, absl::ByAnyChar(": "), absl::SkipEmpty());
    ASSERT_GE(parts.size(), 2u) << line;
    holders_of_address.push_back(absl::StrCat(parts[0], " ", parts[1]));
  }
  EXPECT_THAT(holders_of_address,
              ::testing::ElementsAre(absl::StrCat(gons0->index, " gons0")));
}

INSTANTIATE_TEST_SUITE_P(Privileges, NsinspectNetworkTest,
                         ::testing::ValuesIn(PrivilegeValues()),
                         PrivilegeTestName);

}  // namespace
}  // namespace gons::nsinspect
