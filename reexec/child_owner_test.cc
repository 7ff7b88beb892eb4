// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/child_owner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "reexec/leak_check.h"

namespace gons::reexec::internal {
namespace {

ChildSpec Shell(const std::string& script) {
  ChildSpec spec;
  spec.executable = "/bin/sh";
  spec.argv = {"sh", "-c", script};
  return spec;
}

class ChildOwnerTest : public ::testing::Test {
 protected:
  void TearDown() override { EXPECT_EQ(leak_check::ChildrenLeft(), ""); }
};

TEST_F(ChildOwnerTest, ReapsTheRealExitStatusWithSigchldIgnored) {
  struct sigaction previous = {};
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(sigaction(SIGCHLD, &ignore, &previous), 0);
  absl::StatusOr<ChildOwner> child = ChildOwner::Start(Shell("exit 3"));
  ASSERT_TRUE(child.ok()) << child.status();
  absl::StatusOr<siginfo_t> ended = child->Reap();
  sigaction(SIGCHLD, &previous, nullptr);
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->si_code, CLD_EXITED);
  EXPECT_EQ(ended->si_status, 3);
}

// As an application's SIGCHLD handler that reaps every child would.
TEST_F(ChildOwnerTest, StatusTakenByAnotherWaiterIsStillKnown) {
  absl::StatusOr<ChildOwner> child = ChildOwner::Start(Shell("exit 5"));
  ASSERT_TRUE(child.ok()) << child.status();
  EXPECT_EQ(waitpid(-1, nullptr, 0), child->pid());
  absl::StatusOr<siginfo_t> ended = child->Reap();
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->si_status, 5);
}

TEST_F(ChildOwnerTest, DestructionKillsAndReapsARunningChild) {
  {
    absl::StatusOr<ChildOwner> child = ChildOwner::Start(Shell("sleep 1000"));
    ASSERT_TRUE(child.ok()) << child.status();
  }
  EXPECT_EQ(leak_check::ChildrenLeft(), "");
}

TEST_F(ChildOwnerTest, KillingAnExitedChildIsNotAnError) {
  absl::StatusOr<ChildOwner> child = ChildOwner::Start(Shell("exit 4"));
  ASSERT_TRUE(child.ok()) << child.status();
  pollfd exited = {child->pidfd(), POLLIN, 0};
  ASSERT_EQ(poll(&exited, 1, -1), 1);
  // A zombie now, and alone in its group: nothing is left to kill.
  EXPECT_TRUE(child->Kill().ok());
  absl::StatusOr<siginfo_t> ended = child->Reap();
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->si_code, CLD_EXITED);
  EXPECT_EQ(ended->si_status, 4);
}

TEST_F(ChildOwnerTest, RunsInItsOwnProcessGroup) {
  absl::StatusOr<ChildOwner> child = ChildOwner::Start(Shell("sleep 1000"));
  ASSERT_TRUE(child.ok()) << child.status();
  EXPECT_EQ(getpgid(child->pid()), child->pid());
  EXPECT_TRUE(child->Kill().ok());
  absl::StatusOr<siginfo_t> ended = child->Reap();
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->si_code, CLD_KILLED);
  EXPECT_EQ(ended->si_status, SIGKILL);
  EXPECT_EQ(child->Reap().status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ChildOwnerTest, MissingProgramIsNotFound) {
  ChildSpec spec;
  spec.executable = "/nonexistent/program";
  spec.argv = {"program"};
  absl::StatusOr<ChildOwner> child = ChildOwner::Start(spec);
  EXPECT_EQ(child.status().code(), absl::StatusCode::kNotFound)
      << child.status();
}

TEST_F(ChildOwnerTest, ExecutesAnOpenedProgram) {
  ChildSpec spec = Shell("exit 7");
  spec.executable_fd = open("/bin/sh", O_PATH | O_CLOEXEC);
  ASSERT_GE(spec.executable_fd, 0);
  spec.executable = "";
  absl::StatusOr<ChildOwner> child = ChildOwner::Start(spec);
  close(spec.executable_fd);
  ASSERT_TRUE(child.ok()) << child.status();
  absl::StatusOr<siginfo_t> ended = child->Reap();
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->si_status, 7);
}

// The program's descriptor may have the number of a descriptor the child
// is given (as under `bazel coverage`, whose directory is the child's
// descriptor 3): the dup2s must not replace the program.
TEST_F(ChildOwnerTest, ExecutesTheProgramWhoseDescriptorIsAlsoATarget) {
  const int program = open("/bin/sh", O_PATH | O_CLOEXEC);
  ASSERT_GE(program, 0);
  const int given = open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(given, 0);
  ChildSpec spec = Shell("exit 7");
  spec.executable_fd = program;
  spec.executable = "";
  // Targets 0 .. program: the last one, numbered like the program's
  // descriptor, receives /dev/null.
  spec.descriptors.assign(static_cast<std::size_t>(program) + 1, -1);
  for (int fd = 0; fd < 3 && fd < program; ++fd) spec.descriptors[fd] = fd;
  spec.descriptors[program] = given;
  absl::StatusOr<ChildOwner> child = ChildOwner::Start(spec);
  close(program);
  close(given);
  ASSERT_TRUE(child.ok()) << child.status();
  absl::StatusOr<siginfo_t> ended = child->Reap();
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->si_code, CLD_EXITED);
  EXPECT_EQ(ended->si_status, 7);
}

TEST_F(ChildOwnerTest, PassesOnlyTheDescriptorsAskedFor) {
  int pipe_ends[2];
  ASSERT_EQ(pipe2(pipe_ends, O_CLOEXEC), 0);
  const int stray = open("/dev/null", O_RDONLY);  // Not close-on-exec.
  ASSERT_GE(stray, 0);
  ChildSpec spec;
  spec.executable = "/bin/ls";
  spec.argv = {"ls", "/proc/self/fd"};
  spec.descriptors = {stray, pipe_ends[1], 2};
  absl::StatusOr<ChildOwner> child = ChildOwner::Start(spec);
  close(pipe_ends[1]);
  close(stray);
  ASSERT_TRUE(child.ok()) << child.status();
  char text[64] = {};
  ASSERT_GT(read(pipe_ends[0], text, sizeof(text) - 1), 0);
  close(pipe_ends[0]);
  ASSERT_TRUE(child->Reap().ok());
  // 3: the one ls opens for the directory.
  EXPECT_STREQ(text, "0\n1\n2\n3\n");
}

}  // namespace
}  // namespace gons::reexec::internal
