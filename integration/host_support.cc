// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "integration/host_support.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gons/environment.h"
#include "integration/namespace_holder.h"
#include "integration/subprocess.h"

namespace gons::integration {

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

std::string UserNamespacesUnavailable(Privilege privilege) {
  absl::StatusOr<std::string> unshare = FindProgram("unshare");
  if (!unshare.ok()) return std::string(unshare.status().message());
  SubprocessOptions options;
  options.argv = {*unshare, "--user", "--map-root-user", "/bin/true"};
  options.environment = CleanEnvironment();
  options.unprivileged = MustDropPrivileges(privilege);
  absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
  if (!result.ok()) return std::string(result.status().message());
  if (result->exit_code == 0) return "";
  return absl::StrCat(
      "this host does not let a ", PrivilegeName(privilege),
      " process create a user namespace (see kernel.unprivileged_userns_clone, "
      "user.max_user_namespaces, AppArmor's restrict_unprivileged_userns, or "
      "a seccomp filter): ",
      result->standard_error);
}

bool MustWork() {
  const char* value = std::getenv(kMustWorkVariable);
  return value != nullptr && std::strcmp(value, "1") == 0;
}

}  // namespace gons::integration
