// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "integration/namespace_holder.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "integration/subprocess.h"

namespace gons::integration {
namespace {

// After its setup the holder says so, then blocks reading stdin (no sleeps):
// it exits when the test closes the pipe. `exec` keeps the holder's PID,
// which is the one whose namespaces the test enters.
constexpr char kReadyAndWait[] = "\necho ready\nexec cat >/dev/null\n";

void Reap(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

absl::StatusOr<std::string> FindProgram(absl::string_view program) {
  for (const char* directory : {"/usr/bin", "/bin", "/usr/sbin", "/sbin"}) {
    std::string path = absl::StrCat(directory, "/", program);
    if (access(path.c_str(), X_OK) == 0) return path;
  }
  return absl::NotFoundError(absl::StrCat(program, " is not installed"));
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

  // The holder object owns the process from here on, so every path below
  // reaps it.
  std::unique_ptr<NamespaceHolder> holder(
      new NamespaceHolder(process->pid, process->standard_input));
  std::string output;
  char buffer[256];
  while (output.find("ready\n") == std::string::npos) {
    const ssize_t n = read(process->standard_output, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(buffer, static_cast<std::size_t>(n));
  }
  close(process->standard_output);
  if (output.find("ready\n") == std::string::npos) {
    return absl::FailedPreconditionError(absl::StrCat(
        "namespace holder `", options.argv[0], "` exited before it was ready",
        " (its stderr is in the test log); output: ", output));
  }
  return holder;
}

NamespaceHolder::~NamespaceHolder() {
  // Closing stdin ends `cat`; the kill makes sure a holder whose setup went
  // astray cannot outlive the test either.
  close(standard_input_);
  kill(pid_, SIGKILL);
  Reap(pid_);
}

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
