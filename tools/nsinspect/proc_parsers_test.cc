// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/proc_parsers.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(ProcParsersTest, ParsesMountInfoWithOptionalFieldsAndEscapes) {
  const absl::StatusOr<std::vector<Mount>> mounts = ParseMountInfo(
      "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
      "41 22 0:40 /data /mnt/my\\040disk rw,nosuid - tmpfs gons\\134t rw\n"
      "42 22 0:41 / /srv ro - tmpfs none rw,size=4k\n");
  ASSERT_TRUE(mounts.ok()) << mounts.status();
  ASSERT_EQ(mounts->size(), 3u);
  EXPECT_EQ((*mounts)[0].id, 22);
  EXPECT_EQ((*mounts)[0].parent_id, 1);
  EXPECT_EQ((*mounts)[0].mount_point, "/");
  EXPECT_EQ((*mounts)[0].type, "ext4");
  EXPECT_EQ((*mounts)[0].source, "/dev/sda1");
  EXPECT_EQ((*mounts)[0].options, "rw,relatime");
  EXPECT_EQ((*mounts)[1].root, "/data");
  EXPECT_EQ((*mounts)[1].mount_point, "/mnt/my disk");
  EXPECT_EQ((*mounts)[1].source, "gons\\t");
  EXPECT_EQ((*mounts)[2].options, "ro");
}

TEST(ProcParsersTest, ParsesSuperOptionsAndPropagation) {
  const absl::StatusOr<std::vector<Mount>> mounts = ParseMountInfo(
      "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 "
      "rw,errors=remount-ro\n"
      "41 22 0:40 / /a rw shared:5 master:2 - tmpfs a rw,size=1024k\n"
      "42 22 0:41 / /b rw master:3 unbindable - tmpfs b rw\n"
      "43 22 0:42 / /c rw - overlay o rw,lowerdir=/l\\0401:/l2,upperdir=/u\n"
      "44 22 0:43 / /d rw unbindable - tmpfs d rw\n");
  ASSERT_TRUE(mounts.ok()) << mounts.status();
  ASSERT_EQ(mounts->size(), 5u);
  EXPECT_EQ((*mounts)[0].super_options, "rw,errors=remount-ro");
  EXPECT_EQ((*mounts)[0].propagation, "shared");
  EXPECT_EQ((*mounts)[0].peer_group, 1);
  EXPECT_EQ((*mounts)[1].propagation, "shared,slave");
  EXPECT_EQ((*mounts)[1].peer_group, 5);
  EXPECT_EQ((*mounts)[1].master, 2);
  EXPECT_EQ((*mounts)[1].super_options, "rw,size=1024k");
  EXPECT_EQ((*mounts)[2].propagation, "private,slave,unbindable");
  EXPECT_EQ((*mounts)[2].master, 3);
  EXPECT_EQ((*mounts)[3].propagation, "private");
  EXPECT_EQ((*mounts)[3].super_options, "rw,lowerdir=/l 1:/l2,upperdir=/u");
  EXPECT_EQ((*mounts)[4].propagation, "private,unbindable");
}

TEST(ProcParsersTest, KeepsAnEmptyMountSource) {
  // `mount -t tmpfs "" /mnt` writes an empty source field.
  const absl::StatusOr<std::vector<Mount>> mounts =
      ParseMountInfo("43 22 0:42 / /mnt rw,relatime - tmpfs  rw,size=4k\n");
  ASSERT_TRUE(mounts.ok()) << mounts.status();
  ASSERT_EQ(mounts->size(), 1u);
  EXPECT_EQ((*mounts)[0].type, "tmpfs");
  EXPECT_EQ((*mounts)[0].source, "");
  EXPECT_EQ((*mounts)[0].mount_point, "/mnt");
  EXPECT_EQ((*mounts)[0].super_options, "rw,size=4k");
}

TEST(ProcParsersTest, ParsesTimeOffsets) {
  const absl::StatusOr<std::vector<ClockOffset>> offsets = ParseTimeOffsets(
      "monotonic          50         0\nboottime         -1000         7\n");
  ASSERT_TRUE(offsets.ok()) << offsets.status();
  ASSERT_EQ(offsets->size(), 2u);
  EXPECT_EQ((*offsets)[0].clock, "monotonic");
  EXPECT_EQ((*offsets)[0].seconds, 50);
  EXPECT_EQ((*offsets)[1].seconds, -1000);
  EXPECT_EQ((*offsets)[1].nanoseconds, 7);
  EXPECT_FALSE(ParseTimeOffsets("monotonic x 0\n").ok());
}

TEST(ProcParsersTest, RefusesMountInfoWithoutSeparator) {
  const absl::StatusOr<std::vector<Mount>> mounts =
      ParseMountInfo("22 1 8:1 / / rw,relatime shared:1 ext4 /dev/sda1 rw\n");
  EXPECT_EQ(mounts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(mounts.status().message(), HasSubstr("mountinfo"));
}

TEST(ProcParsersTest, ParsesIdMaps) {
  const absl::StatusOr<std::vector<IdMapping>> map = ParseIdMap(
      "         0       1000          1\n"
      "         1     100000      65536\n");
  ASSERT_TRUE(map.ok()) << map.status();
  ASSERT_EQ(map->size(), 2u);
  EXPECT_EQ((*map)[1].inside, 1u);
  EXPECT_EQ((*map)[1].outside, 100000u);
  EXPECT_EQ((*map)[1].count, 65536u);
  EXPECT_THAT(*ParseIdMap(""), IsEmpty());
  EXPECT_FALSE(ParseIdMap("0 1000\n").ok());
}

TEST(ProcParsersTest, ParsesCgroupsWithColonsInPaths) {
  const absl::StatusOr<std::vector<CgroupMembership>> cgroups =
      ParseCgroups("4:memory:/a\n1:name=systemd:/x:y\n0::/\n");
  ASSERT_TRUE(cgroups.ok()) << cgroups.status();
  ASSERT_EQ(cgroups->size(), 3u);
  EXPECT_EQ((*cgroups)[0].hierarchy, 4);
  EXPECT_EQ((*cgroups)[0].controllers, "memory");
  EXPECT_EQ((*cgroups)[1].path, "/x:y");
  EXPECT_EQ((*cgroups)[2].controllers, "");
  EXPECT_EQ((*cgroups)[2].path, "/");
  EXPECT_FALSE(ParseCgroups("memory:/a\n").ok());
}

TEST(ProcParsersTest, ParsesSysvIpcByColumnNames) {
  const absl::StatusOr<std::vector<IpcObject>> shm = ParseSysvIpc(
      "shm",
      "       key      shmid perms                  size  cpid  lpid nattch   "
      "uid   gid  cuid  cgid      atime      dtime      ctime                 "
      "  rss                  swap\n"
      "-1595242068          3   644                  4096  1234     0      0 "
      "  1000  1000  1000  1000          0          0 1700000000            "
      "        0                     0\n");
  ASSERT_TRUE(shm.ok()) << shm.status();
  ASSERT_EQ(shm->size(), 1u);
  EXPECT_EQ((*shm)[0].kind, "shm");
  EXPECT_EQ((*shm)[0].key, "0xa0ea89ac");  // -1595242068 in the file.
  EXPECT_EQ((*shm)[0].id, 3);
  EXPECT_EQ((*shm)[0].permissions, "644");
  EXPECT_EQ((*shm)[0].owner_uid, 1000u);
  EXPECT_EQ((*shm)[0].size, 4096u);

  const absl::StatusOr<std::vector<IpcObject>> sem = ParseSysvIpc(
      "sem",
      "       key      semid perms      nsems   uid   gid  cuid  cgid      "
      "otime      ctime\n"
      "         0          1   600          4     0     0     0     0        "
      "  0 1700000000\n");
  ASSERT_TRUE(sem.ok()) << sem.status();
  ASSERT_EQ(sem->size(), 1u);
  EXPECT_EQ((*sem)[0].size, 4u);

  EXPECT_THAT(*ParseSysvIpc("msg",
                            "       key      msqid perms      cbytes       "
                            "qnum lspid lrpid   uid   gid  cuid  cgid\n"),
              IsEmpty());
}

TEST(ProcParsersTest, RefusesSysvIpcWithoutExpectedColumns) {
  const absl::StatusOr<std::vector<IpcObject>> objects =
      ParseSysvIpc("shm", "key perms uid\n1 644 0\n");
  EXPECT_EQ(objects.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(objects.status().message(), HasSubstr("shmid"));
  EXPECT_FALSE(ParseSysvIpc("queue", "").ok());
}

}  // namespace
}  // namespace gons::nsinspect
