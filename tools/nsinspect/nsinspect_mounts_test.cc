// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: mount tables as the target sees them, with findmnt --task as
// the oracle: a chrooted target, and one whose /proc is hidden.

#include <unistd.h>

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
#include "integration/subprocess.h"
#include "rapidjson/document.h"
#include "tools/nsinspect/nsinspect_fixture.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {
namespace {

using ::gons::integration::SubprocessResult;
using ::testing::HasSubstr;

class NsinspectMountsTest : public NsinspectFixture {};

// A chrooted target sees only the mounts under its root, as
// `findmnt --task PID` shows them; an empty source is kept empty.
TEST_P(NsinspectMountsTest, ChrootedTargetMountsAreWhatItSees) {
  const std::vector<std::string> launcher = {"unshare",
                                             "--user",
                                             "--map-root-user",
                                             "--mount",
                                             "/bin/sh",
                                             "-ec",
                                             R"(root=$(mktemp -d)
mount -t tmpfs "" "$root"
mkdir "$root/usr" "$root/dev"
touch "$root/dev/null"
mount --bind /usr "$root/usr"
mount --bind /dev/null "$root/dev/null"
ln -s usr/bin "$root/bin"; ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"
exec /usr/sbin/chroot "$root" "$@")",
                                             "sh"};
  auto holder = Hold(launcher, "");
  ASSERT_NE(holder, nullptr);
  const std::string pid = absl::StrCat(holder->pid());
  const rapidjson::Document json = RunJson({"--pid", pid}, 0);
  NamespaceView view = ViewOf(json, 0);
  std::vector<std::string> points;
  for (const Mount& mount : view.mounts) points.push_back(mount.mount_point);
  EXPECT_THAT(points, ::testing::ElementsAre("/", "/usr", "/dev/null"));
  ASSERT_FALSE(view.mounts.empty());
  EXPECT_EQ(view.mounts[0].type, "tmpfs");
  EXPECT_EQ(view.mounts[0].source, "");
  EXPECT_THAT(view.sources["mounts"], HasSubstr("/proc/" + pid + "/mountinfo"));

  absl::StatusOr<std::string> findmnt = integration::FindProgram("findmnt");
  ASSERT_TRUE(findmnt.ok()) << findmnt.status();
  integration::SubprocessOptions options;
  options.argv = {*findmnt,       "--task",   pid,     "--list",
                  "--noheadings", "--output", "TARGET"};
  options.environment = integration::CleanEnvironment();
  options.unprivileged = drop();
  absl::StatusOr<SubprocessResult> oracle = RunSubprocess(options);
  ASSERT_TRUE(oracle.ok()) << oracle.status();
  EXPECT_THAT(Lines(oracle->standard_output),
              ::testing::UnorderedElementsAreArray(points));
}

// A mount namespace whose /proc is hidden (a tmpfs over it, as where no
// /proc is mounted): the child finds no /proc/self, but the mounts and id
// maps are still read, from outside through /proc/PID.
TEST_P(NsinspectMountsTest, TargetWithoutProcIsReadFromOutside) {
  const std::vector<std::string> launcher = {
      "unshare", "--user", "--map-root-user", "--mount", "--uts"};
  auto holder = Hold(
      launcher, "hostname gons-noproc\nmount -t tmpfs gons-noproc /proc\n");
  ASSERT_NE(holder, nullptr);
  const rapidjson::Document json =
      RunJson({"--pid", absl::StrCat(holder->pid())}, 0);
  NamespaceView view = ViewOf(json, 0);
  EXPECT_EQ(view.uts.host_name, "gons-noproc");
  EXPECT_EQ(view.errors.count("mounts"), 0u) << view.errors["mounts"];
  EXPECT_EQ(view.errors.count("uid_map"), 0u) << view.errors["uid_map"];
  ASSERT_NE(FindMount(view, "/proc"), nullptr);
  EXPECT_EQ(FindMount(view, "/proc")->source, "gons-noproc");
  ASSERT_EQ(view.uid_map.size(), 1u);
  EXPECT_EQ(view.uid_map[0].inside, 0u);
  EXPECT_EQ(view.uid_map[0].outside,
            drop() ? integration::kUnprivilegedUid : getuid());
  EXPECT_THAT(view.errors["cgroups"], HasSubstr("in the /proc it sees"));
}

INSTANTIATE_TEST_SUITE_P(Privileges, NsinspectMountsTest,
                         ::testing::ValuesIn(PrivilegeValues()),
                         PrivilegeTestName);

}  // namespace
}  // namespace gons::nsinspect
