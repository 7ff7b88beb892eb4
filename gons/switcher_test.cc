// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The switcher's sequence of system calls, checked against a fake kernel:
// what is opened when, what is entered in which order, where it stops, and
// that every descriptor is closed on every path.

#include "gons/switcher.h"

#include <sched.h>

#include <cerrno>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gons/fake_system_calls.h"
#include "gons/startup_record.h"
#include "gtest/gtest.h"

namespace gons::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class SwitcherTest : public ::testing::Test {
 protected:
  SwitcherTest() {
    kernel_.AddNamespace("/ns/user", CLONE_NEWUSER);
    kernel_.AddNamespace("/ns/mnt", CLONE_NEWNS);
    kernel_.AddNamespace("/ns/net", CLONE_NEWNET);
    kernel_.AddNamespace("/ns/uts", CLONE_NEWUTS);
    kernel_.AddNamespace("/ns/pid", CLONE_NEWPID);
    kernel_.AddNamespace("/ns/time", CLONE_NEWTIME);
  }

  // Runs the switcher on `entries` and returns the environment it leaves.
  // The record points into the environment's strings, so the environment
  // lives as long as the test, like a process's own.
  std::vector<std::string> Run(std::vector<std::string> entries) {
    environment_ = std::make_unique<TestEnvironment>(std::move(entries));
    RunSwitcher(environment_->envp(), kernel_.calls(), &record_);
    return environment_->entries();
  }

  NamespaceState State(int type_index) const {
    return record_.namespaces[type_index].state;
  }

  FakeKernel kernel_;
  std::unique_ptr<TestEnvironment> environment_;
  StartupRecord record_ = {};
};

constexpr int kUser = FindNamespaceTypeIndex("user", 4);
constexpr int kMnt = FindNamespaceTypeIndex("mnt", 3);
constexpr int kNet = FindNamespaceTypeIndex("net", 3);
constexpr int kUts = FindNamespaceTypeIndex("uts", 3);
constexpr int kTime = FindNamespaceTypeIndex("time", 4);

TEST_F(SwitcherTest, DoesNothingWithoutVariables) {
  EXPECT_THAT(Run({"PATH=/bin", "HOME=/"}), ElementsAre("PATH=/bin", "HOME=/"));
  EXPECT_TRUE(record_.ran);
  EXPECT_FALSE(record_.variables_present);
  EXPECT_EQ(record_.failed_step, SwitchStep::kNone);
  EXPECT_THAT(kernel_.log(), IsEmpty());
}

TEST_F(SwitcherTest, ToleratesNullEnvironment) {
  RunSwitcher(nullptr, kernel_.calls(), &record_);
  EXPECT_TRUE(record_.ran);
  EXPECT_EQ(record_.failed_step, SwitchStep::kNone);
}

TEST_F(SwitcherTest, RemovesItsVariablesAndKeepsTheRest) {
  EXPECT_THAT(Run({"gons_net=/ns/net", "A=1", "gons_order=net",
                   "gons_uts=", "gons_other=kept", "gons_netx=kept",
                   "gons_net=/second", "B=2", "gons_reexec_action=kept"}),
              ElementsAre("A=1", "gons_other=kept", "gons_netx=kept", "B=2",
                          "gons_reexec_action=kept"));
  // The first of two entries wins, as with getenv().
  EXPECT_STREQ(record_.namespaces[kNet].path, "/ns/net");
  EXPECT_EQ(State(kNet), NamespaceState::kEntered);
}

TEST_F(SwitcherTest, IgnoresEmptyValues) {
  EXPECT_THAT(Run({"gons_net=", "gons_order="}), IsEmpty());
  EXPECT_TRUE(record_.variables_present);
  EXPECT_EQ(State(kNet), NamespaceState::kNotRequested);
  EXPECT_THAT(kernel_.log(), IsEmpty());
}

// The default order opens every path first, then enters what the caller's
// privileges allow, and the user namespace last (as nsenter does).
TEST_F(SwitcherTest, DefaultOrderOpensEverythingBeforeTheFirstSwitch) {
  Run({"gons_uts=/ns/uts", "gons_net=/ns/net", "gons_user=/ns/user",
       "gons_mnt=/ns/mnt"});
  EXPECT_THAT(kernel_.log(),
              ElementsAre("open /ns/user", "check /ns/user", "open /ns/mnt",
                          "check /ns/mnt", "open /ns/net", "check /ns/net",
                          "open /ns/uts", "check /ns/uts", "setns /ns/mnt mnt",
                          "close /ns/mnt", "setns /ns/net net", "close /ns/net",
                          "setns /ns/uts uts", "close /ns/uts",
                          "setns /ns/user user", "close /ns/user"));
  EXPECT_EQ(record_.failed_step, SwitchStep::kNone);
  EXPECT_EQ(record_.namespaces[kNet].pass, SwitchPass::kBeforeUser);
  EXPECT_EQ(record_.namespaces[kUser].pass, SwitchPass::kUser);
  EXPECT_EQ(kernel_.open_descriptors(), 0);
}

// Shape 1: root, an unrelated user namespace, and a net namespace of the
// initial user namespace, which the user switch would put out of reach.
TEST_F(SwitcherTest, DefaultOrderEntersUnrelatedUserAndNet) {
  kernel_.FailSetnsAfterUser("/ns/net", "/ns/user", EPERM);
  Run({"gons_user=/ns/user", "gons_net=/ns/net"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kNone);
  EXPECT_THAT(kernel_.log(),
              ElementsAre("open /ns/user", "check /ns/user", "open /ns/net",
                          "check /ns/net", "setns /ns/net net", "close /ns/net",
                          "setns /ns/user user", "close /ns/user"));
  EXPECT_EQ(kernel_.open_descriptors(), 0);
}

// The same namespaces with the old fixed order, now written explicitly:
// strict, so it stops at net after the user switch.
TEST_F(SwitcherTest, ExplicitOrderStaysStrict) {
  kernel_.FailSetnsAfterUser("/ns/net", "/ns/user", EPERM);
  Run({"gons_order=!user,!net", "gons_user=/ns/user", "gons_net=/ns/net"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kEnter);
  EXPECT_EQ(record_.failed_type, kNet);
  EXPECT_EQ(State(kUser), NamespaceState::kEntered);
  EXPECT_EQ(record_.namespaces[kUser].pass, SwitchPass::kInOrder);
  EXPECT_FALSE(record_.namespaces[kNet].deferred);
  EXPECT_EQ(kernel_.open_descriptors(), 0);
}

// Rootless: the net namespace belongs to the user namespace, whose
// privileges the process needs first: refused in the first pass, entered
// in the second.
TEST_F(SwitcherTest, DefaultOrderRetriesAfterTheUserSwitch) {
  kernel_.FailSetnsAfterUser("/ns/net", "/ns/user", EPERM,
                             /*until_user=*/true);
  Run({"gons_user=/ns/user", "gons_net=/ns/net", "gons_uts=/ns/uts"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kNone);
  EXPECT_THAT(
      kernel_.log(),
      ElementsAre("open /ns/user", "check /ns/user", "open /ns/net",
                  "check /ns/net", "open /ns/uts", "check /ns/uts",
                  "setns /ns/net net -> EPERM", "setns /ns/uts uts",
                  "close /ns/uts", "setns /ns/user user", "close /ns/user",
                  "setns /ns/net net", "close /ns/net"));
  EXPECT_EQ(record_.namespaces[kUts].pass, SwitchPass::kBeforeUser);
  EXPECT_EQ(record_.namespaces[kNet].pass, SwitchPass::kAfterUser);
  EXPECT_TRUE(record_.namespaces[kNet].deferred);
  EXPECT_EQ(record_.namespaces[kNet].deferred_error, EPERM);
  EXPECT_THAT(record_.entered_sequence,
              ::testing::ElementsAre(kUts, kUser, kNet, 0, 0, 0, 0, 0));
  EXPECT_EQ(record_.entered_count, 3);
  EXPECT_EQ(kernel_.open_descriptors(), 0);
}

TEST_F(SwitcherTest, DefaultOrderFailsWhenRefusedBeforeAndAfterUser) {
  kernel_.FailCall("setns", "/ns/net", EPERM);
  Run({"gons_user=/ns/user", "gons_net=/ns/net"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kEnter);
  EXPECT_EQ(record_.failed_type, kNet);
  EXPECT_EQ(State(kUser), NamespaceState::kEntered);
  EXPECT_TRUE(record_.namespaces[kNet].deferred);
  EXPECT_TRUE(record_.privileges.taken);
  EXPECT_EQ(kernel_.open_descriptors(), 0);
}

TEST_F(SwitcherTest, FailedUserSwitchLeavesTheRefusedOnesPending) {
  kernel_.FailCall("setns", "/ns/user", EPERM);
  kernel_.FailCall("setns", "/ns/net", EPERM);
  Run({"gons_user=/ns/user", "gons_net=/ns/net", "gons_uts=/ns/uts"});
  EXPECT_EQ(record_.failed_type, kUser);
  EXPECT_EQ(State(kUts), NamespaceState::kEntered);
  EXPECT_EQ(State(kNet), NamespaceState::kPending);
  EXPECT_TRUE(record_.namespaces[kNet].deferred);
  EXPECT_EQ(kernel_.open_descriptors(), 0);
}

// A plain type after a mnt that the first pass left waits for the mount
// switch, so that its path still resolves in the new mount namespace; a
// plain user is opened at its place in the order.
TEST_F(SwitcherTest, TolerantOrderKeepsLateOpensAfterTheMountSwitch) {
  kernel_.FailSetnsAfterUser("/ns/mnt", "/ns/user", EPERM,
                             /*until_user=*/true);
  Run({"gons_order=tolerant:user,mnt,net", "gons_user=/ns/user",
       "gons_mnt=/ns/mnt", "gons_net=/ns/net"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kNone);
  EXPECT_THAT(
      kernel_.log(),
      ElementsAre("open /ns/user", "check /ns/user", "open /ns/mnt",
                  "check /ns/mnt", "setns /ns/mnt mnt -> EPERM",
                  "setns /ns/user user", "close /ns/user", "setns /ns/mnt mnt",
                  "close /ns/mnt", "open /ns/net", "check /ns/net",
                  "setns /ns/net net", "close /ns/net"));
  EXPECT_TRUE(record_.namespaces[kNet].deferred);
  EXPECT_EQ(record_.namespaces[kNet].deferred_error, 0);
  EXPECT_EQ(kernel_.open_descriptors(), 0);
}

// Opening and checking are never deferred: no user namespace changes them.
TEST_F(SwitcherTest, TolerantOrderStopsAtAPathThatCannotBeOpened) {
  Run({"gons_order=tolerant:!user,net", "gons_user=/ns/user",
       "gons_net=/missing"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kOpen);
  EXPECT_EQ(State(kUser), NamespaceState::kPending);
  EXPECT_EQ(kernel_.open_descriptors(), 0);
}

TEST_F(SwitcherTest, OpensPlainTypesRightBeforeTheirSwitch) {
  Run({"gons_order=mnt,!net,uts", "gons_mnt=/ns/mnt", "gons_net=/ns/net",
       "gons_uts=/ns/uts"});
  EXPECT_THAT(
      kernel_.log(),
      ElementsAre("open /ns/net", "check /ns/net", "open /ns/mnt",
                  "check /ns/mnt", "setns /ns/mnt mnt", "close /ns/mnt",
                  "setns /ns/net net", "close /ns/net", "open /ns/uts",
                  "check /ns/uts", "setns /ns/uts uts", "close /ns/uts"));
  EXPECT_EQ(kernel_.open_descriptors(), 0);
}

TEST_F(SwitcherTest, SwitchesOnlyTypesInTheOrder) {
  Run({"gons_order=uts,net", "gons_user=/ns/user", "gons_net=/ns/net",
       "gons_uts=/ns/uts"});
  EXPECT_THAT(kernel_.log(),
              ElementsAre("open /ns/uts", "check /ns/uts", "setns /ns/uts uts",
                          "close /ns/uts", "open /ns/net", "check /ns/net",
                          "setns /ns/net net", "close /ns/net"));
  EXPECT_EQ(State(kUser), NamespaceState::kNotRequested);
}

TEST_F(SwitcherTest, EmptyOrderSwitchesNothing) {
  Run({"gons_order=", "gons_net=/ns/net"});
  EXPECT_THAT(kernel_.log(), IsEmpty());
  EXPECT_EQ(record_.failed_step, SwitchStep::kNone);
}

TEST_F(SwitcherTest, BadOrderSwitchesNothing) {
  EXPECT_THAT(Run({"gons_order=net,net", "gons_net=/ns/net", "X=1"}),
              ElementsAre("X=1"));
  EXPECT_EQ(record_.failed_step, SwitchStep::kParseOrder);
  EXPECT_EQ(record_.order_error.kind, OrderErrorKind::kDuplicateType);
  EXPECT_THAT(kernel_.log(), IsEmpty());
}

TEST_F(SwitcherTest, BadOrderIsReportedEvenWithoutPaths) {
  Run({"gons_order=bogus"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kParseOrder);
}

TEST_F(SwitcherTest, FailedEarlyOpenSwitchesNothing) {
  Run({"gons_order=!user,net,!uts", "gons_user=/ns/user", "gons_net=/ns/net",
       "gons_uts=/missing"});
  EXPECT_THAT(kernel_.log(),
              ElementsAre("open /ns/user", "check /ns/user",
                          "open /missing -> ENOENT", "close /ns/user"));
  EXPECT_EQ(record_.failed_step, SwitchStep::kOpen);
  EXPECT_EQ(record_.failed_type, kUts);
  EXPECT_EQ(record_.error_number, ENOENT);
  EXPECT_EQ(State(kUser), NamespaceState::kPending);
  EXPECT_EQ(State(kNet), NamespaceState::kPending);
  EXPECT_EQ(State(kUts), NamespaceState::kFailed);
  EXPECT_EQ(kernel_.open_descriptors(), 0);
}

TEST_F(SwitcherTest, FailureMidwayKeepsEarlierSwitchesAndStops) {
  kernel_.FailCall("setns", "/ns/net", EPERM);
  Run({"gons_order=!user,!mnt,net,!uts", "gons_user=/ns/user",
       "gons_mnt=/ns/mnt", "gons_net=/ns/net", "gons_uts=/ns/uts"});
  EXPECT_THAT(kernel_.log(),
              ElementsAre("open /ns/user", "check /ns/user", "open /ns/mnt",
                          "check /ns/mnt", "open /ns/uts", "check /ns/uts",
                          "setns /ns/user user", "close /ns/user",
                          "setns /ns/mnt mnt", "close /ns/mnt", "open /ns/net",
                          "check /ns/net", "setns /ns/net net -> EPERM",
                          "close /ns/net", "close /ns/uts"));
  EXPECT_EQ(record_.failed_step, SwitchStep::kEnter);
  EXPECT_EQ(record_.failed_type, kNet);
  EXPECT_EQ(State(kUser), NamespaceState::kEntered);
  EXPECT_EQ(State(kMnt), NamespaceState::kEntered);
  EXPECT_EQ(State(kNet), NamespaceState::kFailed);
  EXPECT_EQ(State(kUts), NamespaceState::kPending);
  EXPECT_EQ(kernel_.open_descriptors(), 0);
}

TEST_F(SwitcherTest, RejectsAFileThatIsNotANamespace) {
  kernel_.AddPlainFile("/etc/passwd");
  Run({"gons_net=/etc/passwd", "gons_uts=/ns/uts"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kCheckType);
  EXPECT_EQ(record_.error_number, ENOTTY);
  EXPECT_THAT(kernel_.log(),
              ElementsAre("open /etc/passwd", "check /etc/passwd -> ENOTTY",
                          "close /etc/passwd"));
  EXPECT_EQ(kernel_.open_descriptors(), 0);
}

TEST_F(SwitcherTest, RejectsANamespaceOfAnotherType) {
  Run({"gons_net=/ns/pid"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kCheckType);
  EXPECT_EQ(record_.error_number, 0);
  EXPECT_EQ(record_.actual_type_flag, CLONE_NEWPID);
  EXPECT_THAT(kernel_.log(),
              ElementsAre("open /ns/pid", "check /ns/pid", "close /ns/pid"));
}

TEST_F(SwitcherTest, SecureExecutionIgnoresAndRemovesTheVariables) {
  kernel_.set_secure_execution(true);
  EXPECT_THAT(Run({"gons_net=/ns/net", "gons_order=net", "A=1"}),
              ElementsAre("A=1"));
  EXPECT_EQ(record_.failed_step, SwitchStep::kSecurity);
  EXPECT_THAT(kernel_.log(), IsEmpty());
}

TEST_F(SwitcherTest, SecureExecutionWithoutVariablesIsFine) {
  kernel_.set_secure_execution(true);
  Run({"A=1"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kNone);
}

TEST_F(SwitcherTest, MultiThreadedProcessSwitchesNothing) {
  kernel_.set_thread_count(3);
  Run({"gons_time=/ns/time", "gons_net=/ns/net"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kThreads);
  EXPECT_EQ(record_.thread_count, 3);
  EXPECT_EQ(State(kTime), NamespaceState::kPending);
  EXPECT_THAT(kernel_.log(), IsEmpty());
}

TEST_F(SwitcherTest, UnknownThreadCountDoesNotBlock) {
  kernel_.set_thread_count(-1);
  Run({"gons_net=/ns/net"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kNone);
  EXPECT_EQ(State(kNet), NamespaceState::kEntered);
}

TEST_F(SwitcherTest, KeepsItsIdsByDefault) {
  Run({"gons_user=/ns/user"});
  EXPECT_THAT(kernel_.log(),
              ElementsAre("open /ns/user", "check /ns/user",
                          "setns /ns/user user", "close /ns/user"));
  EXPECT_FALSE(record_.became_root);
}

// As nsenter without --preserve-credentials: groups, then gid, then uid.
TEST_F(SwitcherTest, BecomesRootOfTheUserNamespaceWhenAsked) {
  EXPECT_THAT(Run({"gons_user=/ns/user", "gons_credentials=root", "A=1"}),
              ElementsAre("A=1"));
  EXPECT_THAT(
      kernel_.log(),
      ElementsAre("open /ns/user", "check /ns/user", "setns /ns/user user",
                  "close /ns/user", "setgroups", "setgid 0", "setuid 0"));
  EXPECT_EQ(record_.failed_step, SwitchStep::kNone);
  EXPECT_TRUE(record_.became_root);
}

TEST_F(SwitcherTest, BecomingRootToleratesDeniedSetgroups) {
  kernel_.FailCredentialsCall("setgroups", EPERM);
  Run({"gons_user=/ns/user", "gons_credentials=root"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kNone);
  EXPECT_TRUE(record_.setgroups_denied);
  EXPECT_TRUE(record_.became_root);
}

TEST_F(SwitcherTest, BecomingRootFailsWhereRootIsUnmapped) {
  kernel_.FailCredentialsCall("setgid", EINVAL);
  Run({"gons_user=/ns/user", "gons_credentials=root"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kCredentials);
  EXPECT_EQ(record_.failed_credentials_call, CredentialsCall::kSetgid);
  EXPECT_EQ(State(kUser), NamespaceState::kEntered);
  EXPECT_THAT(kernel_.log().back(), "setgid 0 -> EINVAL");
}

TEST_F(SwitcherTest, CredentialsWithoutAUserSwitchChangeNothing) {
  Run({"gons_net=/ns/net", "gons_credentials=root"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kNone);
  EXPECT_FALSE(record_.became_root);
  EXPECT_THAT(kernel_.log(), ElementsAre("open /ns/net", "check /ns/net",
                                         "setns /ns/net net", "close /ns/net"));
}

TEST_F(SwitcherTest, MalformedCredentialsSwitchNothing) {
  Run({"gons_user=/ns/user", "gons_credentials=Root"});
  EXPECT_EQ(record_.failed_step, SwitchStep::kCredentials);
  EXPECT_EQ(record_.failed_credentials_call, CredentialsCall::kNone);
  EXPECT_THAT(kernel_.log(), IsEmpty());
}

TEST(SwitcherRealCallsTest, CountsThisProcessesThreads) {
  EXPECT_GE(kSystemCalls.count_threads(), 1);
}

}  // namespace
}  // namespace gons::internal
