// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "integration/host_support.h"

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

namespace gons::integration {

Privilege CurrentPrivilege() {
  return geteuid() == 0 ? Privilege::kRoot : Privilege::kUnprivileged;
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
  // Seccomp mode 2 is a filter, such as a container runtime's, which may
  // refuse unshare(CLONE_NEWUSER).
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line == "Seccomp:\t2") found.push_back("a seccomp filter");
  }
  return absl::StrJoin(found, ", ");
}

namespace {

// Locks `mutex` until the returned lock goes out of scope. Abseil 20260526
// deprecates MutexLock(Mutex*) for MutexLock(Mutex&), which Debian 12's
// Abseil 20220623 does not have; the discarded branch is never compiled.
template <typename Lock = absl::MutexLock>
Lock LockMutex(absl::Mutex& mutex) {
  if constexpr (std::is_constructible_v<Lock, absl::Mutex&>) {
    return Lock(mutex);
  } else {
    return Lock(&mutex);
  }
}

}  // namespace

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
    const std::string restrictions = UserNamespaceRestrictions();
    reason = absl::StrCat(
        "this host does not let a ", PrivilegeName(privilege), " ",
        LauncherName(launcher), " create user, mount and net namespaces (",
        restrictions.empty()
            ? "no restricting sysctl found; check AppArmor and seccomp"
            : absl::StrCat("restricted by ", restrictions),
        "): ", result->standard_error);
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
