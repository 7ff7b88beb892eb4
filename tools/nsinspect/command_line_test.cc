// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/command_line.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gons::nsinspect {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> Labels(const CommandLine& command_line) {
  std::vector<std::string> labels;
  for (const TargetSpec& target : command_line.targets) {
    labels.push_back(target.label);
  }
  return labels;
}

TEST(CommandLineTest, EachPidIsATarget) {
  const absl::StatusOr<CommandLine> parsed =
      ParseCommandLine({"--pid", "1", "--pid=4711", "--json"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->json);
  EXPECT_THAT(Labels(*parsed), ::testing::ElementsAre("--pid 1", "--pid 4711"));
  EXPECT_EQ(parsed->targets[1].pid, 4711);
  EXPECT_TRUE(parsed->targets[1].paths.empty());
}

TEST(CommandLineTest, NamespaceFilesInARowFormOneTarget) {
  const absl::StatusOr<CommandLine> parsed = ParseCommandLine(
      {"--user", "/proc/5/ns/user", "--netns", "blue", "--uts=/u"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->targets.size(), 1u);
  const TargetSpec& target = parsed->targets[0];
  EXPECT_EQ(target.label, "--user /proc/5/ns/user --netns blue --uts /u");
  EXPECT_FALSE(target.pid.has_value());
  ASSERT_EQ(target.paths.size(), 3u);
  EXPECT_EQ(target.paths[1].type, "net");
  EXPECT_EQ(target.paths[1].path, "/run/netns/blue");
}

TEST(CommandLineTest, InodesJoinTheNamespaceFilesAroundThem) {
  const absl::StatusOr<CommandLine> parsed = ParseCommandLine(
      {"--inode", "4026532177", "--inode=4026532180", "--uts", "/u"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->targets.size(), 1u);
  const TargetSpec& target = parsed->targets[0];
  EXPECT_EQ(target.label, "--inode 4026532177 --inode 4026532180 --uts /u");
  ASSERT_EQ(target.paths.size(), 3u);
  EXPECT_EQ(target.paths[0].inode, 4026532177u);
  EXPECT_EQ(target.paths[0].path, "");
  EXPECT_EQ(target.paths[1].inode, 4026532180u);
  EXPECT_EQ(target.paths[2].inode, 0u);
}

TEST(CommandLineTest, ListAndTreeTakeNoTarget) {
  const absl::StatusOr<CommandLine> list =
      ParseCommandLine({"--list", "--json"});
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_TRUE(list->list);
  EXPECT_TRUE(list->json);
  EXPECT_TRUE(list->targets.empty());
  const absl::StatusOr<CommandLine> tree = ParseCommandLine({"--tree"});
  ASSERT_TRUE(tree.ok()) << tree.status();
  EXPECT_TRUE(tree->tree);
  EXPECT_THAT(ParseCommandLine({"--list", "--pid", "1"}).status().message(),
              HasSubstr("--list and --tree take no target"));
  EXPECT_THAT(ParseCommandLine({"--tree", "--json"}).status().message(),
              HasSubstr("--tree has no JSON form"));
  EXPECT_THAT(ParseCommandLine({"--list=yes"}).status().message(),
              HasSubstr("--list takes no value"));
}

TEST(CommandLineTest, InodeIsPositiveDecimalDigitsOnly) {
  for (const char* bad : {"", "0", " 12", "+7", "0x10", "-1",
                          "123456789012345678901", "18446744073709551616"}) {
    const absl::StatusOr<CommandLine> parsed =
        ParseCommandLine({"--inode", bad});
    EXPECT_TRUE(absl::IsInvalidArgument(parsed.status())) << bad;
    EXPECT_THAT(parsed.status().message(), HasSubstr("is not an inode number"))
        << bad;
  }
}

TEST(CommandLineTest, RepeatedTypeOrPidStartsTheNextTarget) {
  const absl::StatusOr<CommandLine> parsed =
      ParseCommandLine({"--netns", "a", "--uts", "/u", "--netns", "b", "--pid",
                        "7", "--mnt", "/m"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(Labels(*parsed),
              ::testing::ElementsAre("--netns a --uts /u", "--netns b",
                                     "--pid 7", "--mnt /m"));
}

TEST(CommandLineTest, ReadsTimeoutAndHelp) {
  absl::StatusOr<CommandLine> parsed =
      ParseCommandLine({"--timeout", "2.5", "--pid", "1"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->timeout, absl::Milliseconds(2500));
  parsed = ParseCommandLine({"--help"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->help);
}

TEST(CommandLineTest, ReadsEveryViaAndParallel) {
  const absl::StatusOr<CommandLine> defaults = ParseCommandLine({"--pid", "1"});
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ(defaults->via, Via::kAuto);
  EXPECT_EQ(defaults->parallel, kDefaultParallelTargets);
  for (const Via via :
       {Via::kAuto, Via::kSpawn, Via::kThread, Via::kForkServer}) {
    const absl::StatusOr<CommandLine> parsed = ParseCommandLine(
        {"--via", ViaName(via), "--parallel=256", "--pid", "1"});
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->via, via) << ViaName(via);
    EXPECT_EQ(parsed->parallel, 256);
  }
  EXPECT_EQ(ViaName(Via::kForkServer), "fork-server");
}

TEST(CommandLineTest, RefusesAnUnknownViaAndABadParallel) {
  const absl::StatusOr<CommandLine> via =
      ParseCommandLine({"--via=fork", "--pid", "1"});
  EXPECT_EQ(via.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(via.status().message(),
              HasSubstr("--via \"fork\" is not one of auto, spawn, thread, "
                        "fork-server"));
  for (const char* bad : {"0", "257", "-1", "+4", " 4", "", "1000"}) {
    const absl::StatusOr<CommandLine> parsed =
        ParseCommandLine({"--parallel", bad, "--pid", "1"});
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    EXPECT_THAT(parsed.status().message(),
                HasSubstr("is not a number from 1 to 256"))
        << bad;
  }
}

TEST(CommandLineTest, RefusesBadArgumentsNamingThem) {
  const struct {
    std::vector<std::string> arguments;
    const char* expected;
  } cases[] = {
      {{}, "no target"},
      {{"--pid", "abc"}, "--pid \"abc\" is not a process ID"},
      {{"--pid", "0"}, "is not a process ID"},
      {{"--pid", " 12"}, "--pid \" 12\" is not a process ID"},
      {{"--pid", "+7"}, "--pid \"+7\" is not a process ID"},
      {{"--pid", "12 "}, "is not a process ID"},
      {{"--pid", "0x10"}, "is not a process ID"},
      {{"--pid"}, "--pid needs a value"},
      {{"--netns", "../etc"}, "is not a network namespace name"},
      {{"--net", ""}, "needs a path"},
      {{"--timeout", "-1", "--pid", "1"}, "positive number of seconds"},
      {{"--frobnicate"}, "unknown argument \"--frobnicate\""},
      {{"4711"}, "unknown argument \"4711\""},
      {{"--json=yes", "--pid", "1"}, "--json takes no value"},
  };
  for (const auto& test : cases) {
    const absl::StatusOr<CommandLine> parsed = ParseCommandLine(test.arguments);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << test.expected;
    EXPECT_THAT(parsed.status().message(), HasSubstr(test.expected));
  }
}

}  // namespace
}  // namespace gons::nsinspect
