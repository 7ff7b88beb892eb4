// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "integration/host_support.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "gons/environment.h"
#include "integration/namespace_holder.h"
#include "integration/namespace_launcher.h"
#include "integration/subprocess.h"
#include "tools/build_config/mutex_lock.h"

namespace gons::integration {

Privilege CurrentPrivilege() {
  return geteuid() == 0 ? Privilege::kRoot : Privilege::kUnprivileged;
}

std::vector<Privilege> AvailablePrivileges() {
  if (geteuid() == 0) return {Privilege::kRoot, Privilege::kUnprivileged};
  return {Privilege::kUnprivileged};
}

const char* PrivilegeName(Privilege privilege) {
  return privilege == Privilege::kRoot ? "root" : "rootless";
}

bool MustDropPrivileges(Privilege privilege) {
  return privilege == Privilege::kUnprivileged && geteuid() == 0;
}

std::string PrivilegeUnavailable(Privilege privilege) {
  if (privilege == Privilege::kRoot && geteuid() != 0) {
    return "this variant needs the test to run as root";
  }
  if (!MustDropPrivileges(privilege)) return "";
  SubprocessOptions options;
  options.argv = {"/bin/true"};
  options.environment = CleanEnvironment();
  options.unprivileged = true;
  absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
  if (result.ok() && result->exit_code == 0) return "";
  return absl::StrCat(
      "cannot switch to uid ", kUnprivilegedUid,
      " here: this root runs in a user namespace that maps only root (as in "
      "Bazel's sandbox; tag the test no-sandbox)");
}

namespace {

using ::gons::internal::LockMutex;

bool UnderSeccompFilter() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line == "Seccomp:\t2") return true;
  }
  return false;
}

// The outcome of one probe in a forked child: the step that failed (0: none)
// and its errno.
struct ProbeOutcome {
  int step = 0;
  int error = 0;
};

enum ProbeStep {
  kDropPrivileges = 1,
  kUnshareUser = 2,
  kUnshareOthers = 3,
  kUnshareInvalid = 4,  // unshare(flags | CLONE_VFORK): the kernel's EINVAL.
};

// Runs `probe` in a forked child, which reports through a pipe. The child
// makes only async-signal-safe calls, since the test may have threads.
template <typename Probe>
absl::StatusOr<ProbeOutcome> RunProbe(Probe probe) {
  int pipe_ends[2];
  if (pipe2(pipe_ends, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe2: ", std::strerror(errno)));
  }
  const pid_t pid = fork();
  if (pid < 0) {
    const int error = errno;
    close(pipe_ends[0]);
    close(pipe_ends[1]);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(error)));
  }
  if (pid == 0) {
    ProbeOutcome outcome = probe();
    const ssize_t written = write(pipe_ends[1], &outcome, sizeof(outcome));
    _exit(written == static_cast<ssize_t>(sizeof(outcome)) ? 0 : 1);
  }
  close(pipe_ends[1]);
  ProbeOutcome outcome;
  ssize_t got;
  do {
    got = read(pipe_ends[0], &outcome, sizeof(outcome));
  } while (got < 0 && errno == EINTR);
  close(pipe_ends[0]);
  int wait_status = 0;
  pid_t reaped;
  do {
    reaped = waitpid(pid, &wait_status, 0);
  } while (reaped < 0 && errno == EINTR);
  if (reaped != pid || got != static_cast<ssize_t>(sizeof(outcome))) {
    return absl::InternalError("the namespace probe child did not report");
  }
  return outcome;
}

// Makes a process in new namespaces, which then exits; 0 or the errno.
// clone() has no single-thread rule, unlike unshare(CLONE_NEWUSER); raw,
// with no CLONE_VM, so the copy runs nothing but its exit.
int CloneInto(int clone_flags) {
  const long pid = syscall(SYS_clone, clone_flags | SIGCHLD, nullptr, nullptr,
                           nullptr, nullptr);
  if (pid < 0) return errno;
  if (pid == 0) syscall(SYS_exit, 0);
  int status = 0;
  while (waitpid(static_cast<pid_t>(pid), &status, 0) < 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

ProbeOutcome TryNamespaces(bool drop_privileges, int clone_flags) {
  if (drop_privileges &&
      (setgroups(0, nullptr) != 0 ||
       setresgid(kUnprivilegedUid, kUnprivilegedUid, kUnprivilegedUid) != 0 ||
       setresuid(kUnprivilegedUid, kUnprivilegedUid, kUnprivilegedUid) != 0)) {
    return {kDropPrivileges, errno};
  }
  if ((clone_flags & CLONE_NEWUSER) != 0 && unshare(CLONE_NEWUSER) != 0) {
    // EINVAL: this forked copy has more than one thread, as under
    // ThreadSanitizer, whose runtime thread is made anew after fork(). A
    // new process in the namespaces answers the same question.
    if (errno != EINVAL) return {kUnshareUser, errno};
    if (const int error = CloneInto(CLONE_NEWUSER); error != 0) {
      return {kUnshareUser, error};
    }
    const int error = CloneInto(clone_flags);
    return error == 0 ? ProbeOutcome{} : ProbeOutcome{kUnshareOthers, error};
  }
  const int others = clone_flags & ~CLONE_NEWUSER;
  if (others != 0 && unshare(others) != 0) return {kUnshareOthers, errno};
  return {};
}

// True when this process runs under a seccomp filter that refuses unshare
// itself or its namespace flags: the kernel answers unshare(0) with success
// and unshare(CLONE_NEWUSER | CLONE_VFORK) with EINVAL, before any
// permission check, so EPERM there can only come from the filter.
bool SeccompRefusesNamespaceCallsUncached() {
  if (!UnderSeccompFilter()) return false;
  const absl::StatusOr<ProbeOutcome> outcome = RunProbe([] {
    if (unshare(0) != 0) return ProbeOutcome{kUnshareInvalid, errno};
    if (unshare(CLONE_NEWUSER | CLONE_VFORK) != 0) {
      return ProbeOutcome{kUnshareInvalid, errno};
    }
    return ProbeOutcome{};
  });
  return outcome.ok() && outcome->error == EPERM;
}

std::string FlagNames(int clone_flags) {
  static constexpr std::pair<int, const char*> kNames[] = {
      {CLONE_NEWUSER, "CLONE_NEWUSER"},     {CLONE_NEWNS, "CLONE_NEWNS"},
      {CLONE_NEWNET, "CLONE_NEWNET"},       {CLONE_NEWUTS, "CLONE_NEWUTS"},
      {CLONE_NEWIPC, "CLONE_NEWIPC"},       {CLONE_NEWPID, "CLONE_NEWPID"},
      {CLONE_NEWCGROUP, "CLONE_NEWCGROUP"}, {CLONE_NEWTIME, "CLONE_NEWTIME"},
  };
  std::vector<std::string> names;
  for (const auto& [flag, name] : kNames) {
    if ((clone_flags & flag) != 0) names.push_back(name);
  }
  return names.empty() ? "0" : absl::StrJoin(names, "|");
}

std::string ReadSetting(const char* file) {
  std::ifstream stream(file);
  std::string value;
  stream >> value;
  return value;
}

// Names what refused `outcome`'s step, for the reason of a skip.
std::string RefusedBy(const ProbeOutcome& outcome, bool as_root) {
  if (outcome.error == ENOSPC) {
    return absl::StrCat(
        "the limit of user namespaces: "
        "user.max_user_namespaces=",
        ReadSetting("/proc/sys/user/max_user_namespaces"));
  }
  if (SeccompRefusesNamespaceCalls()) {
    return "a seccomp filter that refuses namespace calls (a container "
           "runtime's default profile; see integration/README.md)";
  }
  if (outcome.step == kUnshareUser && outcome.error == EPERM &&
      ReadSetting("/proc/sys/kernel/unprivileged_userns_clone") == "0") {
    return "kernel.unprivileged_userns_clone=0";
  }
  if (outcome.step == kUnshareOthers &&
      ReadSetting("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") ==
          "1") {
    return "AppArmor's restriction of unprivileged user namespaces "
           "(kernel.apparmor_restrict_unprivileged_userns=1)";
  }
  if (outcome.step == kUnshareOthers && !as_root) {
    return "no rights: not root, and not inside a new user namespace";
  }
  return "no restricting sysctl, AppArmor setting or seccomp filter found";
}

}  // namespace

bool SeccompRefusesNamespaceCalls() {
  static const bool refuses = SeccompRefusesNamespaceCallsUncached();
  return refuses;
}

std::string NamespacesUnavailable(Privilege privilege, int clone_flags) {
  static absl::Mutex mutex(absl::kConstInit);
  static auto* const reasons =
      new std::map<std::pair<Privilege, int>, std::string>();
  if (std::string why = PrivilegeUnavailable(privilege); !why.empty()) {
    return why;
  }
  const auto lock = LockMutex(mutex);
  const auto known = reasons->find({privilege, clone_flags});
  if (known != reasons->end()) return known->second;
  std::string& reason = (*reasons)[{privilege, clone_flags}];
  const bool drop = MustDropPrivileges(privilege);
  const absl::StatusOr<ProbeOutcome> outcome = RunProbe(
      [drop, clone_flags] { return TryNamespaces(drop, clone_flags); });
  if (!outcome.ok()) {
    reason = std::string(outcome.status().message());
  } else if (outcome->step == kDropPrivileges) {
    reason = absl::StrCat("cannot switch to uid ", kUnprivilegedUid, ": ",
                          std::strerror(outcome->error));
  } else if (outcome->step != 0) {
    const int refused = outcome->step == kUnshareUser
                            ? CLONE_NEWUSER
                            : clone_flags & ~CLONE_NEWUSER;
    reason = absl::StrCat(
        "unshare(", FlagNames(refused), ") as ", PrivilegeName(privilege),
        (outcome->step == kUnshareOthers && (clone_flags & CLONE_NEWUSER) != 0)
            ? " inside a new user namespace"
            : "",
        " failed with ", std::strerror(outcome->error), ", refused by ",
        RefusedBy(*outcome, privilege == Privilege::kRoot && !drop));
  }
  return reason;
}

std::string UserNamespaceRestrictions() {
  struct Setting {
    const char* file;
    const char* name;
    const char* restricting;  // The value that restricts.
  };
  static constexpr Setting kSettings[] = {
      {"/proc/sys/kernel/unprivileged_userns_clone",
       "kernel.unprivileged_userns_clone", "0"},
      {"/proc/sys/user/max_user_namespaces", "user.max_user_namespaces", "0"},
      {"/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
       "kernel.apparmor_restrict_unprivileged_userns", "1"},
  };
  std::vector<std::string> found;
  for (const Setting& setting : kSettings) {
    std::ifstream file(setting.file);
    std::string value;
    if (file >> value && value == setting.restricting) {
      found.push_back(absl::StrCat(setting.name, "=", value));
    }
  }
  // A seccomp filter is named only when it refuses namespace calls; one
  // that blocks other calls (acct, say) restricts nothing here.
  if (SeccompRefusesNamespaceCalls()) {
    found.push_back("a seccomp filter that refuses namespace calls");
  }
  return absl::StrJoin(found, ", ");
}

std::string LauncherUnavailable(Launcher launcher, Privilege privilege) {
  static absl::Mutex mutex(absl::kConstInit);
  static auto* const reasons =
      new std::map<std::pair<Launcher, Privilege>, std::string>();
  const auto lock = LockMutex(mutex);
  const auto known = reasons->find({launcher, privilege});
  if (known != reasons->end()) return known->second;

  std::string& reason = (*reasons)[{launcher, privilege}];
  absl::StatusOr<std::vector<std::string>> command =
      LauncherCommand(launcher, {"user", "mnt", "net"});
  absl::StatusOr<std::string> program =
      command.ok() ? FindProgram(command->at(0)) : command.status();
  if (!program.ok()) {
    reason = std::string(program.status().message());
    return reason;
  }
  SubprocessOptions options;
  options.argv = *std::move(command);
  options.argv[0] = *program;
  options.argv.push_back("/bin/true");
  options.environment = CleanEnvironment();
  options.unprivileged = MustDropPrivileges(privilege);
  absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
  if (!result.ok()) {
    reason = std::string(result.status().message());
  } else if (result->exit_code != 0) {
    // The launcher's own message says little ("Operation not permitted");
    // the probe names the refused call and what refused it.
    std::string cause = NamespacesUnavailable(
        privilege, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET);
    if (cause.empty()) {
      const std::string restrictions = UserNamespaceRestrictions();
      cause = restrictions.empty()
                  ? "no restricting sysctl, AppArmor setting or seccomp filter"
                    " found"
                  : absl::StrCat("restricted by ", restrictions);
    }
    reason =
        absl::StrCat("this host does not let a ", PrivilegeName(privilege), " ",
                     LauncherName(launcher),
                     " create user, mount and net namespaces: ", cause, "; ",
                     LauncherName(launcher), " said: ", result->standard_error);
  }
  return reason;
}

std::string UserNamespacesUnavailable(Privilege privilege) {
  return LauncherUnavailable(Launcher::kUnshare, privilege);
}

bool MustWork() {
  const char* value = std::getenv(kMustWorkVariable);
  return value != nullptr && std::strcmp(value, "1") == 0;
}

}  // namespace gons::integration
