// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/target.h"

#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"

namespace gons::nsinspect {
namespace {

using ::gons::integration::NamespaceHolder;
using ::testing::HasSubstr;

std::vector<std::string> Types(const std::vector<reexec::Namespace>& list) {
  std::vector<std::string> types;
  for (const reexec::Namespace& entry : list) types.push_back(entry.type);
  return types;
}

TEST(TargetTest, OwnProcessNeedsNoSwitch) {
  const absl::StatusOr<ResolvedTarget> target =
      ResolveTarget(PidTarget(getpid()));
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_GE(target->namespaces.size(), 7u);
  for (const TargetNamespace& entry : target->namespaces) {
    EXPECT_TRUE(entry.already_in) << entry.type;
    EXPECT_NE(entry.id, 0u) << entry.type;
  }
  EXPECT_TRUE(NamespacesToEnter(*target).empty());
  EXPECT_FALSE(EntersPidNamespace(*target));
}

TEST(TargetTest, EntersOnlyTheNamespacesThatDifferEachOpenedEarly) {
  // As whoever runs the test: this is about namespaces, not privileges.
  if (std::string why = integration::UserNamespacesUnavailable(
          integration::CurrentPrivilege());
      !why.empty()) {
    GONS_SKIP_OR_FAIL(why);
  }
  absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder =
      NamespaceHolder::Start({"unshare", "--user", "--map-root-user", "--uts",
                              "--net", "--pid", "--fork"},
                             "", /*unprivileged=*/false);
  ASSERT_TRUE(holder.ok()) << holder.status();
  // The holder is the child that `unshare --fork` starts, in the new user,
  // uts, net and PID namespaces.
  TargetSpec spec;
  for (const char* type : {"uts", "net", "user", "ipc"}) {
    spec.paths.push_back({type, (*holder)->NamespacePath(type)});
  }
  spec.paths.push_back({"pid", (*holder)->NamespacePath("pid_for_children")});
  const absl::StatusOr<ResolvedTarget> target = ResolveTarget(spec);
  ASSERT_TRUE(target.ok()) << target.status();
  const std::vector<reexec::Namespace> enter = NamespacesToEnter(*target);
  // In switching order; ipc is left out, the holder shares nsinspect's.
  EXPECT_THAT(Types(enter),
              ::testing::ElementsAre("!user", "!net", "!pid", "!uts"));
  EXPECT_EQ(enter[0].path, (*holder)->NamespacePath("user"));
  EXPECT_TRUE(EntersPidNamespace(*target));
}

TEST(TargetTest, MissingProcessIsNotFound) {
  const absl::StatusOr<ResolvedTarget> target =
      ResolveTarget(PidTarget(999999999));
  EXPECT_EQ(target.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(target.status().message(), HasSubstr("no such process"));
}

// Resolves a target of one net namespace file.
absl::Status ResolveNetPath(const std::string& path) {
  TargetSpec spec;
  spec.paths = {{"net", path}};
  return ResolveTarget(spec).status();
}

TEST(TargetTest, MissingPathIsNotFound) {
  const absl::Status status =
      ResolveNetPath("/run/netns/gons-no-such-namespace");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("/run/netns/gons-no-such-namespace"));
}

TEST(TargetTest, OrdinaryFileIsNotANamespace) {
  const absl::Status status = ResolveNetPath("/proc/self/status");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("/proc/self/status is not a namespace file"));
}

TEST(TargetTest, NamespaceOfAnotherTypeIsRefused) {
  const absl::Status status = ResolveNetPath("/proc/self/ns/uts");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("is a uts namespace, not a net namespace"));
}

}  // namespace
}  // namespace gons::nsinspect
