// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "integration/namespace_holder.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "integration/subprocess.h"

namespace gons::integration {
namespace {

// After its setup the holder says so with its PID (the one whose namespaces
// the test enters; `exec` keeps it), then blocks reading stdin, with no
// sleeps: it exits when the test closes the pipe or kills it.
constexpr char kReadyAndWait[] = "\necho \"ready $$\"\nexec cat >/dev/null\n";
constexpr absl::string_view kReady = "ready ";

// How long a launcher may take to set up and run the script. Generous: it
// bounds a broken host, not a measurement.
constexpr int kReadyTimeoutMs = 30'000;

// How long a launcher that outlives the holder (bwrap) may take to notice
// that the holder died and exit by itself, before it is killed as well.
constexpr int kLauncherExitTimeoutMs = 5'000;

std::atomic<int> live_holders{0};

// glibc 2.36's <sys/pidfd.h> lacks extern "C", so C++ cannot link its
// wrappers; the system calls are used directly.
int OpenPidfd(pid_t pid) {
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}

void KillPidfd(int pidfd) {
  syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0);
}

// Returns true when the process behind `pidfd` exits within `timeout_ms`
// (-1: no limit).
bool AwaitExit(int pidfd, int timeout_ms) {
  pollfd exited = {pidfd, POLLIN, 0};
  for (;;) {
    const int ready = poll(&exited, 1, timeout_ms);
    if (ready >= 0) return ready > 0;
    if (errno != EINTR) return false;
  }
}

// Reaps the process behind `pidfd` if it is this process's child (or became
// one as an orphan, when this process is a child subreaper).
void ReapIfChild(int pidfd, int options) {
  siginfo_t info;
  while (waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd), &info,
                WEXITED | options) != 0 &&
         errno == EINTR) {
  }
}

// Returns the PID of `pid` as seen in its own PID namespace (the last field
// of NSpid in /proc/PID/status), or -1.
pid_t InnermostPid(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  for (std::string line; std::getline(status, line);) {
    absl::string_view value = line;
    if (!absl::ConsumePrefix(&value, "NSpid:")) continue;
    value = absl::StripTrailingAsciiWhitespace(value);
    const std::size_t last = value.find_last_of(" \t");
    pid_t inner = -1;
    if (absl::SimpleAtoi(
            last == absl::string_view::npos ? value : value.substr(last + 1),
            &inner)) {
      return inner;
    }
  }
  return -1;
}

// Returns the children of `pid`, from each of its threads' children lists.
std::vector<pid_t> ChildrenOf(pid_t pid) {
  std::vector<pid_t> children;
  DIR* tasks = opendir(absl::StrCat("/proc/", pid, "/task").c_str());
  if (tasks == nullptr) return children;
  while (const dirent* task = readdir(tasks)) {
    if (task->d_name[0] == '.') continue;
    std::ifstream list(
        absl::StrCat("/proc/", pid, "/task/", task->d_name, "/children"));
    for (pid_t child; list >> child;) children.push_back(child);
  }
  closedir(tasks);
  return children;
}

// Returns the chain of processes from the launcher's child down to the
// process in the tree below `launcher` whose PID in its own PID namespace is
// `reported` (just {launcher} when that is the launcher), or {} when there
// is none. Each PID namespace the launcher makes is new, so only the holder
// can match there.
std::vector<pid_t> FindInTree(pid_t launcher, pid_t reported) {
  std::map<pid_t, pid_t> parents;
  std::vector<pid_t> pending = {launcher};
  while (!pending.empty()) {
    const pid_t pid = pending.back();
    pending.pop_back();
    if (InnermostPid(pid) == reported) {
      std::vector<pid_t> chain = {pid};
      for (auto up = parents.find(pid);
           up != parents.end() && up->second != launcher;
           up = parents.find(up->second)) {
        chain.insert(chain.begin(), up->second);
      }
      return chain;
    }
    for (const pid_t child : ChildrenOf(pid)) {
      parents[child] = pid;
      pending.push_back(child);
    }
  }
  return {};
}

// Reads the launcher's stdout until the holder's "ready PID" line, EOF or
// the time limit. Returns the PID, or fails with what was read.
absl::StatusOr<pid_t> AwaitReady(int output, const std::string& launcher) {
  std::string text;
  std::size_t scanned = 0;  // Complete lines before this were no ready line.
  for (;;) {
    for (std::size_t end; (end = text.find('\n', scanned)) != std::string::npos;
         scanned = end + 1) {
      absl::string_view line =
          absl::string_view(text).substr(scanned, end - scanned);
      pid_t pid = -1;
      if (absl::ConsumePrefix(&line, kReady) && absl::SimpleAtoi(line, &pid)) {
        return pid;
      }
    }
    pollfd readable = {output, POLLIN, 0};
    const int polled = poll(&readable, 1, kReadyTimeoutMs);
    if (polled < 0 && errno == EINTR) continue;
    if (polled == 0) {
      return absl::DeadlineExceededError(
          absl::StrCat("namespace holder `", launcher, "` was not ready after ",
                       kReadyTimeoutMs / 1000, " s; output: ", text));
    }
    char buffer[256];
    const ssize_t n = read(output, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return absl::FailedPreconditionError(
      absl::StrCat("namespace holder `", launcher,
                   "` exited before it was ready (its stderr is in the test "
                   "log); output: ",
                   text));
}

}  // namespace

absl::StatusOr<uid_t> NamespaceOwnerUid(const std::string& path) {
  const int namespace_fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (namespace_fd < 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("open ", path));
  }
  int user_fd = namespace_fd;
  if (ioctl(namespace_fd, NS_GET_NSTYPE) != CLONE_NEWUSER) {
    user_fd = ioctl(namespace_fd, NS_GET_USERNS);
  }
  uid_t owner = 0;
  int error = 0;
  if (user_fd < 0 || ioctl(user_fd, NS_GET_OWNER_UID, &owner) != 0) {
    error = errno;
  }
  if (user_fd >= 0 && user_fd != namespace_fd) close(user_fd);
  close(namespace_fd);
  if (error != 0) {
    return absl::ErrnoToStatus(error,
                               absl::StrCat("the owner of the user namespace "
                                            "of ",
                                            path));
  }
  return owner;
}

absl::StatusOr<std::string> FindProgram(absl::string_view program) {
  for (const char* directory : {"/usr/bin", "/bin", "/usr/sbin", "/sbin"}) {
    std::string path = absl::StrCat(directory, "/", program);
    if (access(path.c_str(), X_OK) == 0) return path;
  }
  return absl::NotFoundError(absl::StrCat(program, " is not installed"));
}

NamespaceHolder::NamespaceHolder(pid_t launcher_pid, int launcher_pidfd,
                                 int standard_input)
    : launcher_pid_(launcher_pid),
      launcher_pidfd_(launcher_pidfd),
      standard_input_(standard_input) {
  ++live_holders;
}

absl::StatusOr<std::unique_ptr<NamespaceHolder>> NamespaceHolder::Start(
    std::vector<std::string> launcher, absl::string_view setup_script,
    bool unprivileged) {
  absl::StatusOr<std::string> program = FindProgram(launcher.at(0));
  if (!program.ok()) return program.status();
  launcher[0] = *program;
  launcher.insert(launcher.end(), {"/bin/sh", "-ec",
                                   absl::StrCat(setup_script, kReadyAndWait)});
  SubprocessOptions options;
  options.argv = std::move(launcher);
  options.environment = CleanEnvironment();
  options.unprivileged = unprivileged;
  absl::StatusOr<RunningProcess> process = StartSubprocess(options);
  if (!process.ok()) return process.status();
  // A pidfd of our own child cannot name another process, even after the
  // child exits: it is not reaped until the holder is destroyed.
  const int launcher_pidfd = OpenPidfd(process->pid);
  if (launcher_pidfd < 0) {
    const int error = errno;
    close(process->standard_input);
    close(process->standard_output);
    kill(process->pid, SIGKILL);
    waitpid(process->pid, nullptr, 0);
    return absl::ErrnoToStatus(error, "pidfd_open of the namespace launcher");
  }

  // The holder object owns the processes from here on, so every path below
  // kills and reaps them.
  std::unique_ptr<NamespaceHolder> holder(new NamespaceHolder(
      process->pid, launcher_pidfd, process->standard_input));
  absl::StatusOr<pid_t> pid =
      AwaitReady(process->standard_output, options.argv[0]);
  close(process->standard_output);
  if (!pid.ok()) return pid.status();
  if (absl::Status adopted = holder->Adopt(*pid); !adopted.ok()) {
    return adopted;
  }
  return holder;
}

absl::Status NamespaceHolder::Adopt(pid_t reported) {
  const std::vector<pid_t> chain = FindInTree(launcher_pid_, reported);
  if (chain.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "namespace holder reported PID ", reported, ", but no process below ",
        "its launcher ", launcher_pid_, " has that PID in its PID namespace"));
  }
  for (const pid_t pid : chain) {
    const int pidfd = OpenPidfd(pid);
    if (pidfd < 0) {
      return absl::ErrnoToStatus(
          errno, absl::StrCat("pidfd_open of namespace holder process ", pid));
    }
    chain_pidfds_.push_back(pidfd);
  }
  // Looked up again after opening the pidfds: the launcher is not reaped and
  // its tree waits for stdin, so processes found both times are the same,
  // and no pidfd names a stranger that reused a PID in between.
  if (FindInTree(launcher_pid_, reported) != chain) {
    return absl::FailedPreconditionError(absl::StrCat(
        "namespace holder ", chain.back(), " exited while it was adopted"));
  }
  pid_ = chain.back();
  return absl::OkStatus();
}

NamespaceHolder::~NamespaceHolder() {
  close(standard_input_);
  // The holder dies first, then whatever stands between it and the launcher
  // (bwrap's init in a PID namespace), so that a launcher that waits for
  // them (bwrap) reaps them and exits by itself. The kill also covers a
  // holder whose setup went astray and never reads its stdin. When Start()
  // failed before the holder was known, the closed stdin ends it, or the
  // launcher's kill does below (bwrap's child dies with its parent:
  // --die-with-parent).
  for (auto pidfd = chain_pidfds_.rbegin(); pidfd != chain_pidfds_.rend();
       ++pidfd) {
    KillPidfd(*pidfd);
  }
  if (!AwaitExit(launcher_pidfd_, kLauncherExitTimeoutMs)) {
    KillPidfd(launcher_pidfd_);
  }
  ReapIfChild(launcher_pidfd_, 0);
  close(launcher_pidfd_);
  // A process of the chain that the launcher did not reap before it exited
  // is an orphan: reaped here if this process is a subreaper (see
  // harness_environment.h), by init otherwise. Either way it has exited.
  for (const int pidfd : chain_pidfds_) {
    AwaitExit(pidfd, -1);
    ReapIfChild(pidfd, WNOHANG);
    close(pidfd);
  }
  --live_holders;
}

int NamespaceHolder::LiveCount() { return live_holders.load(); }

std::string NamespaceHolder::NamespacePath(absl::string_view type) const {
  return absl::StrCat("/proc/", pid_, "/ns/", type);
}

absl::StatusOr<unsigned long long> NamespaceId(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("stat ", path));
  }
  return static_cast<unsigned long long>(info.st_ino);
}

}  // namespace gons::integration
