// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: mount tables as the target sees them, with findmnt --task as
// the oracle: a chrooted target, one whose /proc is hidden, and each
// mount's superblock options and propagation.

#include <unistd.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
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

// Superblock options and propagation, with
// `findmnt --task PID -P -o TARGET,PROPAGATION,VFS-OPTIONS,FS-OPTIONS` as
// the oracle for every mount: a sized tmpfs, a shared mount and a slave
// of it, an unbindable one, and an overlay with its lowerdir.
TEST_P(NsinspectMountsTest, SuperOptionsAndPropagationMatchFindmnt) {
  auto holder = Hold({"unshare", "--user", "--map-root-user", "--mount"}, R"(
mount -t tmpfs -o size=1m,mode=700 gons-sized /mnt
mkdir /mnt/shared /mnt/slave /mnt/unbindable /mnt/lower /mnt/upper \
  /mnt/work /mnt/over
mount -t tmpfs gons-shared /mnt/shared
mount --make-shared /mnt/shared
mount --bind /mnt/shared /mnt/slave
mount --make-slave /mnt/slave
mount -t tmpfs gons-unbindable /mnt/unbindable
mount --make-unbindable /mnt/unbindable
mount -t overlay -o lowerdir=/mnt/lower,upperdir=/mnt/upper,workdir=/mnt/work \
  gons-overlay /mnt/over
)");
  ASSERT_NE(holder, nullptr);
  const std::string pid = absl::StrCat(holder->pid());
  const NamespaceView view = ViewOf(RunJson({"--pid", pid}, 0), 0);

  const Mount* sized = FindMount(view, "/mnt");
  const Mount* shared = FindMount(view, "/mnt/shared");
  const Mount* slave = FindMount(view, "/mnt/slave");
  const Mount* unbindable = FindMount(view, "/mnt/unbindable");
  const Mount* overlay = FindMount(view, "/mnt/over");
  ASSERT_NE(sized, nullptr);
  ASSERT_NE(shared, nullptr);
  ASSERT_NE(slave, nullptr);
  ASSERT_NE(unbindable, nullptr);
  ASSERT_NE(overlay, nullptr);
  EXPECT_THAT(sized->super_options, HasSubstr("size=1024k"));
  EXPECT_THAT(sized->super_options, HasSubstr("mode=700"));
  EXPECT_EQ(shared->propagation, "shared");
  EXPECT_NE(shared->peer_group, 0);
  EXPECT_EQ(slave->propagation, "private,slave");
  EXPECT_EQ(slave->master, shared->peer_group);
  EXPECT_EQ(unbindable->propagation, "private,unbindable");
  EXPECT_THAT(overlay->super_options, HasSubstr("lowerdir=/mnt/lower"));
  EXPECT_THAT(Run({"--pid", pid}).standard_output,
              ::testing::ContainsRegex(absl::StrCat(
                  "\n  /mnt/slave +tmpfs +gons-shared +[^ ]+ +private,slave "
                  "\\(master ",
                  shared->peer_group, "\\) +rw")));

  const SubprocessResult oracle =
      RunTool({"findmnt", "--task", pid, "-P", "-o",
               "TARGET,PROPAGATION,VFS-OPTIONS,FS-OPTIONS"});
  ASSERT_EQ(oracle.exit_code, 0) << oracle.standard_error;
  std::vector<std::string> expected;
  for (const std::string& line : Lines(oracle.standard_output)) {
    // TARGET="/mnt" PROPAGATION="private" VFS-OPTIONS="rw" FS-OPTIONS="..."
    std::vector<std::string> values;
    for (absl::string_view field : absl::StrSplit(line, "\" ")) {
      const std::size_t quote = field.find('"');
      ASSERT_NE(quote, absl::string_view::npos) << line;
      values.push_back(
          std::string(absl::StripSuffix(field.substr(quote + 1), "\"")));
    }
    ASSERT_EQ(values.size(), 4u) << line;
    expected.push_back(absl::StrJoin(values, " | "));
  }
  std::vector<std::string> seen;
  for (const Mount& mount : view.mounts) {
    seen.push_back(absl::StrJoin({mount.mount_point, mount.propagation,
                                  mount.options, mount.super_options},
                                 " | "));
  }
  EXPECT_THAT(seen, ::testing::UnorderedElementsAreArray(expected));
}

INSTANTIATE_TEST_SUITE_P(Privileges, NsinspectMountsTest,
                         ::testing::ValuesIn(PrivilegeValues()),
                         PrivilegeTestName);

}  // namespace
}  // namespace gons::nsinspect
