// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// What comes from the caller's environment or the target namespace is not
// trusted: a set-user-ID copy of this test ignores the re-execution
// protocol, a parent moved into a mount namespace whose /proc is hostile
// still re-executes the host's binary, and a child's stderr cannot put
// terminal escapes into a status message.
// The first two run trust_probe (see its argv protocol).

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "reexec/leak_check.h"
#include "reexec/reexec.h"

namespace gons::reexec {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const bool registered = [] {
  Register("answer-42", [] { (void)WriteResult(42); });
  Register("write-marker",
           [] { std::ofstream(std::getenv("MARKER")) << "the action ran\n"; });
  Register("escape-to-stderr", [] {
    std::fputs("before\x1b]0;owned\x07\x1b[2Jafter\r\n", stderr);
    std::exit(1);
  });
  return true;
}();

bool MustWork() {
  const char* value = std::getenv("GONS_MUST_WORK");
  return value != nullptr && std::string(value) == "1";
}

// Runs the block in a forked process (single-threaded, as the test is)
// and returns its exit status.
template <typename Body>
int InForkedProcess(Body body) {
  const pid_t pid = fork();
  if (pid == 0) _exit(body());
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(TrustBoundaryTest, ChildStderrCannotPutEscapesIntoTheStatus) {
  const absl::Status status = RunReexecAction("escape-to-stderr");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnknown) << status;
  EXPECT_THAT(status.message(), Not(HasSubstr("\x1b")));
  EXPECT_THAT(status.message(), Not(HasSubstr("\r")));
  EXPECT_THAT(status.message(),
              HasSubstr("before\\x1b]0;owned\\x07\\x1b[2Jafter"));
}

// The probe binary, from the test's runfiles.
const char kProbe[] = "reexec/trust_probe";

// As when //gons moved the parent into a container's mount namespace at
// start-up: /proc/self/exe there is a script that must never run.
TEST(TrustBoundaryTest, ParentInAHostileMountNamespaceRunsTheHostBinary) {
  // The probe makes a user and a mount namespace; the host check names
  // what refuses them where that is not allowed.
  GONS_REQUIRE_NAMESPACES(integration::CurrentPrivilege(),
                          CLONE_NEWUSER | CLONE_NEWNS);
  const int result = InForkedProcess([] {
    char* const argv[] = {const_cast<char*>(kProbe),
                          const_cast<char*>("hostile-proc"), nullptr};
    execv(kProbe, argv);
    return 91;
  });
  ASSERT_NE(result, 77)
      << "the probe's unshare(CLONE_NEWUSER|CLONE_NEWNS) failed although "
         "the host check made both";
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // A sanitizer runtime reads /proc/self/maps as the child starts, which
  // this /proc lacks: the host binary cannot start there, but the script
  // must still never run.
  EXPECT_TRUE(result == 0 || result == 1) << "2: the script ran, 78: setup";
#else
  EXPECT_EQ(result, 0) << "1: the call failed, 2: the script ran, 78: setup";
#endif
}

// The caller (uid 65534) sets gons_reexec_action: a set-user-ID program
// must run main(), not the action, and refuse to re-execute itself. An
// ordinary user can make a copy set-user-ID only to itself: started by that
// user it changes no ID, the kernel sets no AT_SECURE, and the protocol is
// honoured as for any other program of that user: the action runs.
TEST(TrustBoundaryTest, SetUidProgramIgnoresTheProtocol) {
  const bool test_is_root = geteuid() == 0;
  char directory[] = "/tmp/reexec_setuid_XXXXXX";
  ASSERT_NE(mkdtemp(directory), nullptr);
  ASSERT_EQ(chmod(directory, 0777), 0);
  struct statvfs file_system = {};
  ASSERT_EQ(statvfs(directory, &file_system), 0);
  const std::string copy = absl::StrCat(directory, "/program");
  const std::string marker = absl::StrCat(directory, "/marker");
  {
    std::ifstream in(kProbe, std::ios::binary);
    std::ofstream out(copy, std::ios::binary);
    out << in.rdbuf();
  }
  ASSERT_EQ(chmod(copy.c_str(), 04755), 0);
  const bool nosuid = (file_system.f_flag & ST_NOSUID) != 0;
  int result = -1;
  if (!nosuid) {
    result = InForkedProcess([&] {
      const std::string action = "gons_reexec_action=write-marker";
      const std::string marker_entry = "MARKER=" + marker;
      char* const argv[] = {const_cast<char*>(copy.c_str()),
                            const_cast<char*>("secure"), nullptr};
      char* const envp[] = {const_cast<char*>(action.c_str()),
                            const_cast<char*>(marker_entry.c_str()), nullptr};
      if (test_is_root && (setgroups(0, nullptr) != 0 || setgid(65534) != 0 ||
                           setuid(65534) != 0)) {
        return 90;
      }
      execve(copy.c_str(), argv, envp);
      return 91;
    });
  }
  struct stat marker_status = {};
  const bool action_ran = stat(marker.c_str(), &marker_status) == 0;
  unlink(marker.c_str());
  unlink(copy.c_str());
  rmdir(directory);
  if (nosuid) {
    if (MustWork()) FAIL() << "/tmp is mounted nosuid";
    GTEST_SKIP() << "/tmp is mounted nosuid: no set-user-ID program runs";
  }
  if (!test_is_root) {
    EXPECT_TRUE(action_ran) << "a program set-user-ID to its own caller "
                               "ignored the protocol";
    EXPECT_EQ(marker_status.st_uid, getuid()) << "the action ran as another";
    EXPECT_EQ(result, 0) << "the action's exit status; 91: no exec";
    return;
  }
  EXPECT_FALSE(action_ran) << "the caller's gons_reexec_action ran as root";
  EXPECT_EQ(result, 0) << "3: no AT_SECURE, 1: the call was not refused as "
                          "expected, 90/91: the probe could not start";
}

}  // namespace
}  // namespace gons::reexec
