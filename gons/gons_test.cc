// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// gons::Status() and gons::Report(): the codes and messages for each outcome
// of the switcher, produced from records of the switcher run against a fake
// kernel.

#include "gons/gons.h"

#include <linux/capability.h>
#include <sched.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gons/fake_system_calls.h"
#include "gons/record_status.h"
#include "gons/startup_record.h"
#include "gons/switcher.h"
#include "gtest/gtest.h"

namespace gons::internal {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class StatusTest : public ::testing::Test {
 protected:
  StatusTest() {
    kernel_.AddNamespace("/ns/user", CLONE_NEWUSER);
    kernel_.AddNamespace("/ns/mnt", CLONE_NEWNS);
    kernel_.AddNamespace("/ns/net", CLONE_NEWNET);
    kernel_.AddNamespace("/ns/uts", CLONE_NEWUTS);
    kernel_.AddNamespace("/ns/pid", CLONE_NEWPID);
    kernel_.AddNamespace("/ns/time", CLONE_NEWTIME);
    kernel_.AddPlainFile("/etc/passwd");
  }

  // The record points into the environment's strings, so the environment
  // lives as long as the test, like a process's own.
  absl::Status Run(std::vector<std::string> entries) {
    environment_ = std::make_unique<TestEnvironment>(std::move(entries));
    RunSwitcher(environment_->envp(), kernel_.calls(), &record_);
    return StatusFromRecord(record_);
  }

  FakeKernel kernel_;
  std::unique_ptr<TestEnvironment> environment_;
  StartupRecord record_ = {};
};

TEST_F(StatusTest, OkWhenNothingIsAsked) {
  EXPECT_TRUE(Run({"A=1"}).ok());
  EXPECT_THAT(ReportFromRecord(record_), IsEmpty());
}

TEST_F(StatusTest, OkWhenEverythingIsEntered) {
  EXPECT_TRUE(Run({"gons_net=/ns/net", "gons_order=user,net"}).ok());
  EXPECT_THAT(ReportFromRecord(record_),
              ElementsAre(AllOf(
                  Field(&NamespaceReport::type, "net"),
                  Field(&NamespaceReport::variable, "gons_net"),
                  Field(&NamespaceReport::path, "/ns/net"),
                  Field(&NamespaceReport::open_early, false),
                  Field(&NamespaceReport::opened, true),
                  Field(&NamespaceReport::outcome, SwitchOutcome::kEntered))));
}

TEST_F(StatusTest, HookThatNeverRanIsAFailedPrecondition) {
  const StartupRecord never_ran = {};
  const absl::Status status = StatusFromRecord(never_ran);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("startup hook did not run"));
  EXPECT_THAT(status.message(), HasSubstr("alwayslink"));
}

TEST_F(StatusTest, BadOrderNamesTheElement) {
  const absl::Status status = Run({"gons_order=net,!Net", "gons_net=/ns/net"});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "gons: gons_order=\"net,!Net\": element 2 \"!Net\": unknown "
            "namespace type (expected one of user, mnt, cgroup, ipc, net, "
            "pid, uts, time, optionally prefixed by '!'); nothing was "
            "switched");
  EXPECT_THAT(ReportFromRecord(record_), IsEmpty());
}

TEST_F(StatusTest, VeryLongValuesAreQuotedShort) {
  const std::string long_path(100000, 'x');
  const absl::Status status = Run({"gons_net=/" + long_path});
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_LT(status.message().size(), 600u);
  EXPECT_THAT(status.message(), HasSubstr("(100001 characters)"));
}

TEST_F(StatusTest, MissingPathIsNotFound) {
  const absl::Status status = Run({"gons_net=/nowhere"});
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(),
            "gons: gons_net=\"/nowhere\": opening failed: No such file or "
            "directory (ENOENT); nothing was switched");
}

TEST_F(StatusTest, MissingPathAfterMountSwitchSuggestsEarlyOpen) {
  const absl::Status status =
      Run({"gons_order=mnt,net", "gons_mnt=/ns/mnt", "gons_net=/gone"});
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("write !net in gons_order"));
  EXPECT_THAT(status.message(), HasSubstr("entered (and still in): mnt"));
}

TEST_F(StatusTest, OpenPermissionDenied) {
  kernel_.FailCall("open", "/ns/net", EACCES);
  EXPECT_EQ(Run({"gons_net=/ns/net"}).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(StatusTest, NotANamespaceIsInvalidArgument) {
  const absl::Status status = Run({"gons_uts=/etc/passwd"});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "gons: gons_uts=\"/etc/passwd\" is not a namespace file; nothing "
            "was switched");
}

TEST_F(StatusTest, WrongTypeNamesBothTypes) {
  const absl::Status status = Run({"gons_net=/ns/pid"});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "gons: gons_net=\"/ns/pid\" is a pid namespace, not a net "
            "namespace; nothing was switched");
}

TEST_F(StatusTest, EnterPermissionDeniedExplainsOwningUserNamespace) {
  kernel_.FailCall("setns", "/ns/net", EPERM);
  const absl::Status status = Run({"gons_net=/ns/net", "gons_uts=/ns/uts"});
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(),
              HasSubstr("entering the net namespace failed: setns: Operation "
                        "not permitted (EPERM); likely cause: the process "
                        "lacks CAP_SYS_ADMIN in the user namespace"));
  EXPECT_THAT(status.message(), HasSubstr("not attempted: uts"));
}

TEST_F(StatusTest, EnterAfterUserSwitchNamesTheOrderThatWorks) {
  kernel_.FailSetnsAfterUser("/ns/net", "/ns/user", EPERM);
  const absl::Status status =
      Run({"gons_order=user,net", "gons_user=/ns/user", "gons_net=/ns/net"});
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(),
              HasSubstr("enter net before user (gons_order=net,user,...), or "
                        "leave gons_order unset"));
  EXPECT_THAT(status.message(), ::testing::Not(HasSubstr("put user before")));
}

TEST_F(StatusTest, EnterBeforeUserSwitchSuggestsUserFirst) {
  kernel_.FailSetnsAfterUser("/ns/net", "/ns/user", EPERM, true);
  const absl::Status status =
      Run({"gons_order=net,user", "gons_user=/ns/user", "gons_net=/ns/net"});
  EXPECT_THAT(status.message(), HasSubstr("put user before net in gons_order"));
}

TEST_F(StatusTest, RefusedBeforeAndAfterUserSaysBoth) {
  kernel_.FailCall("setns", "/ns/net", EPERM);
  const absl::Status status =
      Run({"gons_user=/ns/user", "gons_net=/ns/net", "gons_uts=/ns/uts"});
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(),
              HasSubstr("refused both before entering the user namespace "
                        "(Operation not permitted (EPERM)) and after it"));
  EXPECT_THAT(status.message(), HasSubstr("entered (and still in): uts, user"));
  EXPECT_THAT(
      ReportFromRecord(record_),
      ElementsAre(
          AllOf(Field(&NamespaceReport::type, "uts"),
                Field(&NamespaceReport::pass, gons::SwitchPass::kBeforeUser)),
          AllOf(Field(&NamespaceReport::type, "user"),
                Field(&NamespaceReport::pass, gons::SwitchPass::kUser)),
          AllOf(Field(&NamespaceReport::type, "net"),
                Field(&NamespaceReport::deferred, true),
                Field(&NamespaceReport::deferred_error, EPERM),
                Field(&NamespaceReport::outcome, SwitchOutcome::kFailed))));
}

TEST_F(StatusTest, FailedUserSwitchListsWhatWasLeft) {
  kernel_.FailCall("setns", "/ns/user", EPERM);
  kernel_.FailCall("setns", "/ns/net", EPERM);
  const absl::Status status = Run({"gons_user=/ns/user", "gons_net=/ns/net"});
  EXPECT_THAT(status.message(),
              HasSubstr("refused before the user switch and not retried: net "
                        "(Operation not permitted (EPERM))"));
  EXPECT_THAT(
      ReportFromRecord(record_),
      ElementsAre(
          Field(&NamespaceReport::outcome, SwitchOutcome::kFailed),
          Field(&NamespaceReport::outcome, SwitchOutcome::kNotAttempted)));
}

TEST_F(StatusTest, MountSwitchWithoutChrootNamesCapSysChroot) {
  kernel_.set_capabilities(1ULL << CAP_SYS_ADMIN);
  kernel_.FailCall("setns", "/ns/mnt", EPERM);
  const absl::Status status = Run({"gons_mnt=/ns/mnt"});
  EXPECT_THAT(status.message(), HasSubstr("lacks CAP_SYS_CHROOT"));
  EXPECT_THAT(status.message(),
              ::testing::Not(HasSubstr("lacks CAP_SYS_ADMIN in its own")));
}

TEST_F(StatusTest, SeccompFilterIsNamedWithoutBlamingHeldCapabilities) {
  kernel_.set_capabilities(1ULL << CAP_SYS_ADMIN);
  kernel_.set_seccomp_mode(2);
  kernel_.FailCall("setns", "/ns/net", EPERM);
  const absl::Status status = Run({"gons_net=/ns/net"});
  EXPECT_THAT(status.message(), HasSubstr("a seccomp filter is active"));
  EXPECT_THAT(status.message(), HasSubstr("has CAP_SYS_ADMIN"));
  EXPECT_THAT(status.message(),
              ::testing::Not(HasSubstr("lacks CAP_SYS_ADMIN in its own")));
}

TEST_F(StatusTest, WithoutSeccompNoFilterIsBlamed) {
  kernel_.FailCall("setns", "/ns/net", EPERM);
  const absl::Status status = Run({"gons_net=/ns/net"});
  EXPECT_THAT(status.message(), HasSubstr("lacks CAP_SYS_ADMIN in its own"));
  EXPECT_THAT(status.message(), ::testing::Not(HasSubstr("seccomp")));
}

TEST_F(StatusTest, SymlinkLoopAndSocketAreNotNamespaceFiles) {
  for (const int error_number : {ELOOP, ENXIO}) {
    FakeKernel* kernel = &kernel_;
    kernel->FailCall("open", "/ns/net", error_number);
    const absl::Status status = Run({"gons_net=/ns/net"});
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_THAT(status.message(), HasSubstr("it is not a namespace file"));
    record_ = {};
  }
}

TEST_F(StatusTest, UnmappedRootIsExplained) {
  kernel_.FailCredentialsCall("setuid", EINVAL);
  const absl::Status status =
      Run({"gons_user=/ns/user", "gons_credentials=root"});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("gons_credentials=\"root\": becoming root of the user "
                        "namespace failed: setuid(0): Invalid argument"));
  EXPECT_THAT(status.message(), HasSubstr("leave gons_credentials unset"));
  EXPECT_THAT(status.message(), HasSubstr("entered (and still in): user"));
}

TEST_F(StatusTest, MalformedCredentialsAreInvalid) {
  const absl::Status status =
      Run({"gons_user=/ns/user", "gons_credentials=yes"});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("expected root or keep"));
}

TEST_F(StatusTest, ReenteringOwnUserNamespaceIsExplained) {
  kernel_.FailCall("setns", "/ns/user", EINVAL);
  const absl::Status status = Run({"gons_user=/ns/user"});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("already in this user namespace (re-entering one's "
                        "own user namespace is not allowed)"));
}

TEST_F(StatusTest, ThreadedTimeNamespaceIsExplained) {
  kernel_.FailCall("setns", "/ns/time", EUSERS);
  const absl::Status status = Run({"gons_time=/ns/time"});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("single-threaded"));
}

TEST_F(StatusTest, MultiThreadedProcessIsAFailedPrecondition) {
  kernel_.set_thread_count(2);
  const absl::Status status = Run({"gons_time=/ns/time"});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("already had 2 threads"));
  EXPECT_THAT(status.message(), HasSubstr("not attempted: time"));
  EXPECT_THAT(ReportFromRecord(record_),
              ElementsAre(Field(&NamespaceReport::outcome,
                                SwitchOutcome::kNotAttempted)));
}

TEST_F(StatusTest, SecureExecutionIsAFailedPrecondition) {
  kernel_.set_secure_execution(true);
  const absl::Status status = Run({"gons_net=/ns/net"});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("AT_SECURE"));
}

TEST_F(StatusTest, FailedCloseIsInternal) {
  kernel_.FailCall("close", "/ns/net", EIO);
  const absl::Status status = Run({"gons_net=/ns/net"});
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(status.message(), HasSubstr("closing"));
  EXPECT_THAT(
      ReportFromRecord(record_),
      ElementsAre(Field(&NamespaceReport::outcome, SwitchOutcome::kEntered)));
}

TEST_F(StatusTest, ReportFollowsTheSwitchingOrder) {
  kernel_.FailCall("setns", "/ns/mnt", EPERM);
  (void)Run({"gons_order=uts,!mnt,net,user", "gons_user=/ns/user",
             "gons_mnt=/ns/mnt", "gons_net=/ns/net", "gons_uts=/ns/uts"});
  const std::vector<NamespaceReport> report = ReportFromRecord(record_);
  ASSERT_EQ(report.size(), 4u);
  EXPECT_EQ(report[0].type, "uts");
  EXPECT_EQ(report[0].outcome, SwitchOutcome::kEntered);
  EXPECT_EQ(report[1].type, "mnt");
  EXPECT_TRUE(report[1].open_early);
  EXPECT_EQ(report[1].outcome, SwitchOutcome::kFailed);
  EXPECT_EQ(report[2].type, "net");
  EXPECT_FALSE(report[2].opened);
  EXPECT_EQ(report[2].outcome, SwitchOutcome::kNotAttempted);
  EXPECT_EQ(report[3].type, "user");
  EXPECT_EQ(report[3].outcome, SwitchOutcome::kNotAttempted);
}

// Fault injection. Two runs that together make every kind of call (opens
// before the first switch and right before their own, a mount switch
// first, types in and out of the default order) are recorded on a fake
// kernel; then each of their calls fails in turn, and the status must name
// that call's step and error, list what was entered before it and what was
// not attempted, the switcher must try nothing after it, and no descriptor
// may stay open.
TEST(FaultInjectionTest, EveryFailingSystemCallGivesItsStatusAndLeaksNothing) {
  struct Fault {
    int error_number;
    SwitchStep step;
    absl::StatusCode code;
    const char* what;  // In the message, after the variable and path.
  };
  const std::map<std::string, Fault> faults = {
      {"open",
       {EMFILE, SwitchStep::kOpen, absl::StatusCode::kResourceExhausted,
        "opening failed: Too many open files (EMFILE)"}},
      {"check",
       {EIO, SwitchStep::kCheckType, absl::StatusCode::kInternal,
        "checking its namespace type failed: ioctl(NS_GET_NSTYPE): "
        "Input/output error (EIO)"}},
      {"setns",
       {EPERM, SwitchStep::kEnter, absl::StatusCode::kPermissionDenied,
        "namespace failed: setns: Operation not permitted (EPERM)"}},
      {"close",
       {EINTR, SwitchStep::kClose, absl::StatusCode::kInternal,
        "closing the namespace descriptor failed: Interrupted system call "
        "(EINTR)"}},
  };
  const std::vector<std::vector<std::string>> scenarios = {
      {"gons_order=!user,mnt,!net,uts", "gons_user=/ns/user",
       "gons_mnt=/ns/mnt", "gons_net=/ns/net", "gons_uts=/ns/uts"},
      {"gons_time=/ns/time", "gons_pid=/ns/pid", "gons_ipc=/ns/ipc",
       "gons_cgroup=/ns/cgroup"},
  };
  // The record points into the environment, which must outlive it.
  std::unique_ptr<TestEnvironment> environment;
  StartupRecord record;
  // Runs `entries` with `call` on `path` failing (none when empty): fills
  // `record` and `log`, checks for leaks and returns the status.
  const auto run = [&](const std::vector<std::string>& entries,
                       const std::string& call, const std::string& path,
                       std::vector<std::string>* log) {
    FakeKernel kernel;
    for (const NamespaceType& type : kNamespaceTypes) {
      kernel.AddNamespace(absl::StrCat("/ns/", type.name), type.clone_flag);
    }
    if (!call.empty()) {
      kernel.FailCall(call, path, faults.at(call).error_number);
    }
    environment = std::make_unique<TestEnvironment>(entries);
    record = {};
    RunSwitcher(environment->envp(), kernel.calls(), &record);
    EXPECT_EQ(kernel.open_descriptors(), 0);
    *log = kernel.log();
    return StatusFromRecord(record);
  };

  int injected = 0;
  for (const std::vector<std::string>& entries : scenarios) {
    std::vector<std::string> clean_log;
    ASSERT_TRUE(run(entries, "", "", &clean_log).ok());
    // Requested types in switching order, as the clean run entered them.
    std::vector<std::string> requested;
    for (const std::string& entry : clean_log) {
      const std::vector<std::string> words = absl::StrSplit(entry, ' ');
      if (words[0] == "setns") requested.push_back(words[2]);
    }
    for (std::size_t index = 0; index < clean_log.size(); ++index) {
      const std::vector<std::string> words =
          absl::StrSplit(clean_log[index], ' ');
      const std::string& call = words[0];
      const std::string& path = words[1];
      const std::string type = path.substr(std::strlen("/ns/"));
      SCOPED_TRACE(clean_log[index]);
      ++injected;

      std::vector<std::string> log;
      const absl::Status status = run(entries, call, path, &log);
      // Everything up to the fault as before, then only clean-up.
      ASSERT_GT(log.size(), index);
      EXPECT_EQ(std::vector<std::string>(log.begin(), log.begin() + index),
                std::vector<std::string>(clean_log.begin(),
                                         clean_log.begin() + index));
      EXPECT_THAT(log[index], HasSubstr(" -> "));
      for (std::size_t later = index + 1; later < log.size(); ++later) {
        EXPECT_THAT(log[later], ::testing::StartsWith("close "));
      }

      // A failed close() comes after its setns(): entered, and it says so.
      std::vector<std::string> entered, not_attempted;
      for (std::size_t before = 0; before < index; ++before) {
        const std::vector<std::string> done =
            absl::StrSplit(clean_log[before], ' ');
        if (done[0] == "setns") entered.push_back(done[2]);
      }
      for (const std::string& other : requested) {
        if (other != type && !absl::c_linear_search(entered, other)) {
          not_attempted.push_back(other);
        }
      }
      const Fault& fault = faults.at(call);
      EXPECT_EQ(record.failed_step, fault.step);
      EXPECT_EQ(record.failed_type,
                FindNamespaceTypeIndex(type.data(), type.size()));
      EXPECT_EQ(record.error_number, fault.error_number);
      EXPECT_EQ(status.code(), fault.code) << status;
      const std::string message(status.message());
      EXPECT_THAT(message, ::testing::StartsWith(absl::StrCat(
                               "gons: gons_", type, "=\"", path, "\"")));
      EXPECT_THAT(message, HasSubstr(fault.what));
      EXPECT_THAT(message,
                  HasSubstr(entered.empty()
                                ? "; nothing was switched"
                                : absl::StrCat("; entered (and still in): ",
                                               absl::StrJoin(entered, ", "))));
      if (not_attempted.empty()) {
        EXPECT_THAT(message, ::testing::Not(HasSubstr("not attempted")));
      } else {
        EXPECT_THAT(message, HasSubstr(absl::StrCat(
                                 "; not attempted: ",
                                 absl::StrJoin(not_attempted, ", "))));
      }
    }
  }
  EXPECT_EQ(injected, 16 + 16);  // Four calls per namespace, eight in all.
}

// After a failure, the descriptors still open are closed; a close() that
// fails then must neither leak nor replace the error that matters.
TEST(FaultInjectionTest, FailingCleanUpKeepsTheFirstError) {
  FakeKernel kernel;
  kernel.AddNamespace("/ns/user", CLONE_NEWUSER);
  kernel.AddNamespace("/ns/net", CLONE_NEWNET);
  kernel.FailCall("setns", "/ns/user", EPERM);
  kernel.FailCall("close", "/ns/net", EIO);
  kernel.FailCall("close", "/ns/user", EBADF);
  TestEnvironment environment(
      {"gons_order=!user,!net", "gons_user=/ns/user", "gons_net=/ns/net"});
  StartupRecord record = {};
  RunSwitcher(environment.envp(), kernel.calls(), &record);
  EXPECT_THAT(kernel.log(),
              ElementsAre("open /ns/user", "check /ns/user", "open /ns/net",
                          "check /ns/net", "setns /ns/user user -> EPERM",
                          "close /ns/user -> EBADF", "close /ns/net -> EIO"));
  EXPECT_EQ(kernel.open_descriptors(), 0);
  const absl::Status status = StatusFromRecord(record);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(), HasSubstr("gons_user"));
  EXPECT_THAT(status.message(), HasSubstr("not attempted: net"));
}

// This test binary links //gons itself, and Bazel starts it without gons_*
// variables: the hook ran and had nothing to do.
TEST(ProcessStatusTest, OkInATestWithoutVariables) {
  EXPECT_TRUE(ProcessStartupRecord().ran);
  EXPECT_TRUE(gons::Status().ok()) << gons::Status();
  EXPECT_THAT(gons::Report(), IsEmpty());
}

}  // namespace
}  // namespace gons::internal
