// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "integration/subprocess.h"

#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gons::integration {
namespace {

absl::Status ErrnoError(const std::string& what) {
  return absl::ErrnoToStatus(errno, what);
}

// In the forked child: wire up the pipes, drop privileges, exec. Only
// async-signal-safe calls; reports failure through exit code 127.
[[noreturn]] void ExecChild(const SubprocessOptions& options, char** argv,
                            char** envp, int input, int output, int error) {
  if (dup2(input, 0) < 0 || dup2(output, 1) < 0 ||
      (error >= 0 && dup2(error, 2) < 0)) {
    _exit(127);
  }
  // Only 0, 1 and 2 reach the program.
  if (close_range(3, UINT_MAX, 0) != 0) _exit(127);
  if (options.unprivileged &&
      (setgroups(0, nullptr) != 0 || setgid(kUnprivilegedGid) != 0 ||
       setuid(kUnprivilegedUid) != 0)) {
    _exit(127);
  }
  signal(SIGPIPE, SIG_DFL);
  execve(argv[0], argv, envp);
  _exit(127);
}

struct ChildPipes {
  int input[2] = {-1, -1};
  int output[2] = {-1, -1};
  int error[2] = {-1, -1};
};

// Under `bazel coverage`, the test's coverage directory (GCOV_PREFIX) is
// below /root, where an unprivileged program cannot write: its coverage
// runtime would say so on the stderr that tests check. It gets a scratch
// directory instead, removed when the program has ended; its coverage is not
// counted.
class ScratchCoverageDirectory {
 public:
  ScratchCoverageDirectory() = default;
  ScratchCoverageDirectory(const ScratchCoverageDirectory&) = delete;
  ScratchCoverageDirectory& operator=(const ScratchCoverageDirectory&) = delete;
  ~ScratchCoverageDirectory() {
    if (path_.empty()) return;
    nftw(
        path_.c_str(),
        [](const char* path, const struct stat*, int, FTW*) {
          return remove(path);
        },
        16, FTW_DEPTH | FTW_PHYS);
  }

  // Points GCOV_PREFIX in `environment`, if set, at a new scratch directory.
  absl::Status Redirect(std::vector<std::string>& environment) {
    for (std::string& entry : environment) {
      if (!absl::StartsWith(entry, "GCOV_PREFIX=")) continue;
      char path[] = "/tmp/gons-unprivileged-coverage-XXXXXX";
      if (mkdtemp(path) == nullptr || chmod(path, 0777) != 0) {
        return ErrnoError("a scratch coverage directory in /tmp");
      }
      path_ = path;
      entry = "GCOV_PREFIX=" + path_;
    }
    return absl::OkStatus();
  }

 private:
  std::string path_;
};

absl::StatusOr<pid_t> Spawn(const SubprocessOptions& options, ChildPipes* pipes,
                            bool capture_error) {
  if (options.argv.empty()) return absl::InvalidArgumentError("empty argv");
  std::vector<char*> argv;
  for (const std::string& arg : options.argv) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& entry : options.environment) {
    envp.push_back(const_cast<char*>(entry.c_str()));
  }
  envp.push_back(nullptr);

  if (pipe2(pipes->input, O_CLOEXEC) != 0 ||
      pipe2(pipes->output, O_CLOEXEC) != 0 ||
      (capture_error && pipe2(pipes->error, O_CLOEXEC) != 0)) {
    return ErrnoError("pipe2");
  }
  const pid_t pid = fork();
  if (pid < 0) return ErrnoError("fork");
  if (pid == 0) {
    ExecChild(options, argv.data(), envp.data(), pipes->input[0],
              pipes->output[1], pipes->error[1]);
  }
  close(pipes->input[0]);
  close(pipes->output[1]);
  if (capture_error) close(pipes->error[1]);
  return pid;
}

}  // namespace

absl::StatusOr<SubprocessResult> RunSubprocess(
    const SubprocessOptions& requested) {
  SubprocessOptions options = requested;
  ScratchCoverageDirectory coverage;
  if (options.unprivileged) {
    absl::Status status = coverage.Redirect(options.environment);
    if (!status.ok()) return status;
  }
  ChildPipes pipes;
  absl::StatusOr<pid_t> pid = Spawn(options, &pipes, /*capture_error=*/true);
  if (!pid.ok()) return pid.status();

  // Feed stdin and drain stdout and stderr together, so that no amount of
  // output can block the child while we write.
  SubprocessResult result;
  std::size_t written = 0;
  int input = pipes.input[1];
  if (options.standard_input.empty()) {
    close(input);
    input = -1;
  }
  int outputs[2] = {pipes.output[0], pipes.error[0]};
  std::string* sinks[2] = {&result.standard_output, &result.standard_error};
  const sighandler_t old_sigpipe = signal(SIGPIPE, SIG_IGN);
  while (input >= 0 || outputs[0] >= 0 || outputs[1] >= 0) {
    pollfd fds[3] = {
        {input, POLLOUT, 0}, {outputs[0], POLLIN, 0}, {outputs[1], POLLIN, 0}};
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (input >= 0 && fds[0].revents != 0) {
      const ssize_t n = write(input, options.standard_input.data() + written,
                              options.standard_input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 || written == options.standard_input.size()) {
        close(input);
        input = -1;
      }
    }
    for (int i = 0; i < 2; ++i) {
      if (outputs[i] < 0 || fds[i + 1].revents == 0) continue;
      char buffer[65536];
      const ssize_t n = read(outputs[i], buffer, sizeof(buffer));
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(outputs[i]);
        outputs[i] = -1;
      }
    }
  }
  signal(SIGPIPE, old_sigpipe);
  int wait_status = 0;
  while (waitpid(*pid, &wait_status, 0) < 0) {
    if (errno != EINTR) return ErrnoError("waitpid");
  }
  if (WIFEXITED(wait_status)) result.exit_code = WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) result.signal = WTERMSIG(wait_status);
  return result;
}

absl::StatusOr<RunningProcess> StartSubprocess(
    const SubprocessOptions& options) {
  ChildPipes pipes;
  absl::StatusOr<pid_t> pid = Spawn(options, &pipes, /*capture_error=*/false);
  if (!pid.ok()) return pid.status();
  return RunningProcess{*pid, pipes.input[1], pipes.output[0]};
}

std::vector<std::string> CleanEnvironment(
    const std::vector<std::string>& extra) {
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!absl::StartsWith(*entry, "gons_")) environment.emplace_back(*entry);
  }
  environment.insert(environment.end(), extra.begin(), extra.end());
  return environment;
}

}  // namespace gons::integration
