// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "integration/own_user_namespace.h"

#include <sched.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "integration/host_support.h"

namespace gons::integration {
namespace {

TEST(OwnUserNamespaceTest, UnshareOptionsNameEachTypeOrNone) {
  int unknown = -1;
  EXPECT_EQ(UnshareOptions(CLONE_NEWNET | CLONE_NEWNS, &unknown),
            (std::vector<std::string>{"--net", "--mount"}));
  EXPECT_EQ(unknown, 0);
  EXPECT_EQ(UnshareOptions(0, &unknown), std::vector<std::string>{});
  EXPECT_EQ(unknown, 0);
  EXPECT_EQ(UnshareOptions(CLONE_NEWUTS | CLONE_NEWPID, &unknown),
            std::vector<std::string>{});
  EXPECT_EQ(unknown, CLONE_NEWPID);
}

TEST(OwnUserNamespaceTest, TheCopyGetsAllButBazelsTestProtocol) {
  for (const char* entry :
       {"XML_OUTPUT_FILE=/out/test.xml", "GTEST_FILTER=A.B",
        "TESTBRIDGE_TEST_ONLY=A.B", "TEST_PREMATURE_EXIT_FILE=/out/exit",
        "TEST_SHARD_STATUS_FILE=/out/shard", "TEST_TOTAL_SHARDS=2"}) {
    EXPECT_TRUE(BelongsToThisTestRun(entry)) << entry;
  }
  for (const char* entry : {"TEST_TMPDIR=/tmp/t", "TEST_SRCDIR=/runfiles",
                            "PATH=/usr/bin", "GONS_MUST_WORK=1"}) {
    EXPECT_FALSE(BelongsToThisTestRun(entry)) << entry;
  }
}

TEST(OwnUserNamespaceTest, SkipCauseIsWhatGoogletestPrintedAfterSkipped) {
  EXPECT_EQ(SkipCause("[ RUN      ] A.B\n"
                      "a_test.cc:12: Skipped\n"
                      "unshare refused\nby a filter\n"
                      "\n"
                      "[  SKIPPED ] A.B (0 ms)\n"),
            "unshare refused\nby a filter");
  EXPECT_EQ(SkipCause("[  PASSED  ] 1 test.\n"), "(no cause given)");
}

std::string UidMap() {
  std::ifstream file("/proc/self/uid_map");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The test itself starts in the initial user namespace (whose map covers
// every id), as root or an ordinary user; it runs again in a copy that is
// root of a new user namespace, which owns the copy's new uts namespace.
TEST(OwnUserNamespaceTest, CopyIsRootOfANewUserNamespaceOwningItsNamespaces) {
  std::istringstream map(UidMap());
  unsigned long inside = 1, outside = 1, count = 0;
  map >> inside >> outside >> count;
  if (inside == 0 && outside == 0 && count == 4294967295UL) {
    GONS_REQUIRE_NAMESPACES(CurrentPrivilege(), CLONE_NEWUSER | CLONE_NEWUTS);
    return RunCurrentTestInOwnUserNamespace(CLONE_NEWUTS);
  }
  EXPECT_EQ(inside, 0UL) << UidMap();
  EXPECT_EQ(count, 1UL) << UidMap();
  EXPECT_EQ(geteuid(), 0U);
  // CAP_SYS_ADMIN over the uts namespace made with it.
  EXPECT_EQ(sethostname("gons-own-user-ns", 16), 0);
  EXPECT_EQ(std::getenv("XML_OUTPUT_FILE"), nullptr);
  EXPECT_NE(std::getenv("TEST_TMPDIR"), nullptr);
}

}  // namespace
}  // namespace gons::integration
