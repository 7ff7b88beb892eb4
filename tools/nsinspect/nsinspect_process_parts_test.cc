// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: the parts that belong to the target process, read from
// outside: its time namespace's clock offsets and its cgroups as it and
// the host see them.

#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/subprocess.h"
#include "rapidjson/document.h"
#include "tools/nsinspect/nsinspect_fixture.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {
namespace {

using ::gons::integration::NamespaceHolder;
using ::gons::integration::SubprocessResult;
using ::testing::HasSubstr;

class NsinspectProcessPartsTest : public NsinspectFixture {};

// A time namespace's clock offsets, as `unshare --monotonic --boottime`
// set them.
TEST_P(NsinspectProcessPartsTest, ReportsTimeNamespaceOffsets) {
  auto holder = Hold({"unshare", "--user", "--map-root-user", "--time",
                      "--monotonic", "50", "--boottime", "1000", "--fork"},
                     "");
  ASSERT_NE(holder, nullptr);
  const std::string pid = absl::StrCat(holder->pid());
  const rapidjson::Document json = RunJson({"--pid", pid}, 0);
  const NamespaceView view = ViewOf(json, 0);
  std::vector<std::string> offsets;
  for (const ClockOffset& offset : view.time_offsets) {
    offsets.push_back(absl::StrCat(offset.clock, " ", offset.seconds));
  }
  EXPECT_THAT(offsets, ::testing::ElementsAre("monotonic 50", "boottime 1000"));
  EXPECT_THAT(Run({"--pid", pid}).standard_output,
              HasSubstr("time offsets: monotonic +50.000000000s, boottime "
                        "+1000.000000000s\n"));
}

INSTANTIATE_TEST_SUITE_P(Privileges, NsinspectProcessPartsTest,
                         ::testing::ValuesIn(PrivilegeValues()),
                         PrivilegeTestName);

// A target in its own cgroup namespace, rooted at a cgroup other than the
// hierarchy's root, sees "/" where nsinspect sees that cgroup's path. Root
// moves the target into a new child cgroup first; an ordinary user, who may
// not, makes the namespace (inside a user namespace) at the cgroup the test
// runs in, in a hierarchy where that is not the root cgroup.
TEST(NsinspectCgroupTest, ReportsTargetCgroupsAsItAndTheHostSeeThem) {
  const bool as_root = geteuid() == 0;
  GONS_REQUIRE_NAMESPACES(
      integration::CurrentPrivilege(),
      as_root ? CLONE_NEWCGROUP : CLONE_NEWUSER | CLONE_NEWCGROUP);
  // Root: a writable hierarchy, the v2 one or v1 "memory", under our own
  // cgroup. An ordinary user: any hierarchy where our cgroup is not "/".
  std::string hierarchy;
  std::string own;
  std::string own_path;
  std::ifstream self_cgroup("/proc/self/cgroup");
  const std::string self_text((std::istreambuf_iterator<char>(self_cgroup)),
                              std::istreambuf_iterator<char>());
  for (const std::string& line : Lines(self_text)) {
    const std::vector<std::string> parts = absl::StrSplit(line, ':');
    if (parts.size() != 3) continue;
    if (!as_root) {
      if (hierarchy.empty() && parts[2] != "/") {
        hierarchy = absl::StrCat(parts[0], ":", parts[1]);
        own_path = parts[2];
      }
      continue;
    }
    for (const auto& [controllers, mounted] :
         {std::make_pair("memory", "/sys/fs/cgroup/memory"),
          std::make_pair("", "/sys/fs/cgroup/unified"),
          std::make_pair("", "/sys/fs/cgroup")}) {
      const std::string procs =
          absl::StrCat(mounted, parts[2], "/cgroup.procs");
      if (hierarchy.empty() && parts[1] == controllers &&
          access(procs.c_str(), W_OK) == 0) {
        hierarchy = absl::StrCat(parts[0], ":", parts[1]);
        own = absl::StrCat(mounted, parts[2]);
        own_path = parts[2] == "/" ? "" : parts[2];
      }
    }
  }
  if (hierarchy.empty()) {
    GONS_SKIP_OR_FAIL(
        as_root ? "no writable cgroup hierarchy to make a child cgroup in"
                : "this test runs in the root cgroup of every hierarchy, "
                  "where a cgroup namespace looks the same from inside");
  }
  const std::string cgroup = absl::StrCat(own, "/gons-svc-", getpid());
  const std::string host_path =
      as_root ? absl::StrCat(own_path, "/gons-svc-", getpid()) : own_path;
  std::vector<std::string> launcher = {"unshare", "--user", "--map-root-user",
                                       "--cgroup"};
  if (as_root) {
    ASSERT_EQ(mkdir(cgroup.c_str(), 0755), 0) << std::strerror(errno);
    launcher = {"sh", "-c",
                absl::StrCat("echo $$ >", cgroup,
                             "/cgroup.procs; exec unshare --cgroup \"$@\""),
                "sh"};
  }
  {
    absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder =
        NamespaceHolder::Start(launcher, "", /*unprivileged=*/false);
    ASSERT_TRUE(holder.ok()) << holder.status();
    absl::StatusOr<integration::ProbeCopy> nsinspect =
        integration::ProbeCopy::Create("tools/nsinspect/nsinspect");
    ASSERT_TRUE(nsinspect.ok()) << nsinspect.status();
    integration::SubprocessOptions options;
    options.argv = {nsinspect->path(), "--json", "--pid",
                    absl::StrCat((*holder)->pid())};
    options.environment = integration::CleanEnvironment();
    absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(result->exit_code, 0) << result->standard_error;
    rapidjson::Document json;
    json.Parse(result->standard_output.c_str());
    ASSERT_FALSE(json.HasParseError()) << result->standard_output;
    const NamespaceView view = ViewOf(json, 0);
    std::vector<std::string> target_lines;
    std::vector<std::string> host_lines;
    for (const CgroupMembership& entry : view.cgroups) {
      target_lines.push_back(absl::StrCat(entry.hierarchy, ":",
                                          entry.controllers, ":", entry.path));
    }
    for (const CgroupMembership& entry : view.host_cgroups) {
      host_lines.push_back(absl::StrCat(entry.hierarchy, ":", entry.controllers,
                                        ":", entry.path));
    }
    EXPECT_THAT(target_lines, ::testing::Contains(hierarchy + ":/"));
    EXPECT_THAT(host_lines,
                ::testing::Contains(absl::StrCat(hierarchy, ":", host_path)));
  }
  if (as_root) {
    EXPECT_EQ(rmdir(cgroup.c_str()), 0) << std::strerror(errno);
  }
}

}  // namespace
}  // namespace gons::nsinspect
