// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: the IPC objects of the target's IPC namespace, POSIX message
// queues made by a helper (mqueue_maker) inside it, never those of
// nsinspect's own IPC namespace.

#include <fcntl.h>
#include <mqueue.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/probe_runner.h"
#include "rapidjson/document.h"
#include "tools/nsinspect/nsinspect_fixture.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {
namespace {

using ::testing::HasSubstr;

class NsinspectIpcTest : public NsinspectFixture {};

std::string Describe(const PosixQueue& queue) {
  return absl::StrCat(queue.name, " ", queue.permissions, " ", queue.owner_uid,
                      " ", queue.max_messages, " ", queue.message_size, " ",
                      queue.messages, " ", queue.bytes);
}

// A queue in this process's own IPC namespace, unlinked on every path.
class OwnQueue {
 public:
  OwnQueue(long max_messages, long message_size, mode_t mode)
      : name_(absl::StrCat("/gons-own-", getpid())) {
    struct mq_attr attributes = {};
    attributes.mq_maxmsg = max_messages;
    attributes.mq_msgsize = message_size;
    const mqd_t queue =
        mq_open(name_.c_str(), O_CREAT | O_EXCL | O_RDONLY | O_CLOEXEC, mode,
                &attributes);
    made_ = queue != static_cast<mqd_t>(-1);
    EXPECT_TRUE(made_) << name_ << ": " << std::strerror(errno);
    if (made_) {
      EXPECT_EQ(mq_close(queue), 0) << std::strerror(errno);
    }
  }
  OwnQueue(const OwnQueue&) = delete;
  OwnQueue& operator=(const OwnQueue&) = delete;
  ~OwnQueue() {
    if (made_) {
      EXPECT_EQ(mq_unlink(name_.c_str()), 0) << std::strerror(errno);
    }
  }
  bool made() const { return made_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  bool made_ = false;
};

TEST_P(NsinspectIpcTest, ReportsPosixQueuesOfTheTargetsIpcNamespace) {
  absl::StatusOr<integration::ProbeCopy> maker =
      integration::ProbeCopy::Create("tools/nsinspect/mqueue_maker");
  ASSERT_TRUE(maker.ok()) << maker.status();
  // One queue in nsinspect's own IPC namespace, which must not show.
  const OwnQueue own(1, 16, 0600);
  ASSERT_TRUE(own.made());

  auto holder =
      Hold(kUnshareLauncher, absl::StrCat(kUnshareSetup, "'", maker->path(),
                                          "' /gons-q 4 64 hello world\n"));
  ASSERT_NE(holder, nullptr);
  const std::string pid = absl::StrCat(holder->pid());
  const NamespaceView view = ViewOf(RunJson({"--pid", pid}, 0), 0);
  EXPECT_EQ(view.errors.count("posix_queues"), 0u)
      << view.errors.at("posix_queues");
  std::vector<std::string> queues;
  for (const PosixQueue& queue : view.posix_queues) {
    queues.push_back(Describe(queue));
  }
  // Made by uid 0 of the holder's user namespace, which the child is in.
  EXPECT_THAT(queues, ::testing::ElementsAre("/gons-q 640 0 4 64 2 10"));
  EXPECT_THAT(
      Run({"--pid", pid}).standard_output,
      ::testing::ContainsRegex(
          "\nPOSIX message queues:\n  NAME +PERMS +OWNER +MAXMSG +"
          "MSGSIZE +MESSAGES +BYTES\n  /gons-q +640 +0 +4 +64 +2 +10\n"));
}

// nsinspect's own IPC namespace belongs to the initial user namespace:
// root lists its queues, and an ordinary user, who may not make an mqueue
// file system there, gets the part's error while the rest is reported.
TEST_P(NsinspectIpcTest, OwnIpcNamespaceQueuesNeedRootThere) {
  const OwnQueue own(2, 32, 0604);
  ASSERT_TRUE(own.made());
  const rapidjson::Document json =
      RunJson({"--ipc", "/proc/self/ns/ipc", "--uts", "/proc/self/ns/uts"}, 0);
  NamespaceView view = ViewOf(json, 0);
  EXPECT_FALSE(view.uts.host_name.empty());
  if (GetParam() == integration::Privilege::kRoot) {
    EXPECT_EQ(view.errors.count("posix_queues"), 0u)
        << view.errors["posix_queues"];
    std::vector<std::string> queues;
    for (const PosixQueue& queue : view.posix_queues) {
      queues.push_back(Describe(queue));
    }
    EXPECT_THAT(queues, ::testing::Contains(absl::StrCat(
                            own.name(), " 604 ", getuid(), " 2 32 0 0")));
  } else {
    EXPECT_THAT(view.errors["posix_queues"],
                HasSubstr("fsopen(mqueue): Operation not permitted (listing "
                          "POSIX queues needs CAP_SYS_ADMIN"));
  }
}

INSTANTIATE_TEST_SUITE_P(Privileges, NsinspectIpcTest,
                         ::testing::ValuesIn(PrivilegeValues()),
                         PrivilegeTestName);

}  // namespace
}  // namespace gons::nsinspect
