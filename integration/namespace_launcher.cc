// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "integration/namespace_launcher.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "integration/namespace_holder.h"

namespace gons::integration {
namespace {

// The options that make one namespace type; an empty list means the tool
// makes that type anyway (bwrap's mount namespace).
struct TypeOptions {
  const char* type;
  std::vector<std::string> unshare;
  std::vector<std::string> bwrap;
  bool bwrap_can = true;
};

const std::vector<TypeOptions>& AllTypeOptions() {
  static const auto* const options = new std::vector<TypeOptions>{
      {"user",
       {"--user", "--map-root-user"},
       {"--unshare-user", "--uid", "0", "--gid", "0"}},
      {"mnt", {"--mount"}, {}},
      {"net", {"--net"}, {"--unshare-net"}},
      {"uts", {"--uts"}, {"--unshare-uts"}},
      {"ipc", {"--ipc"}, {"--unshare-ipc"}},
      {"cgroup", {"--cgroup"}, {"--unshare-cgroup"}},
      // The holder is then a child of the launcher, in the new namespace.
      {"pid", {"--pid", "--fork"}, {"--unshare-pid"}},
      {"time", {"--time"}, {}, /*bwrap_can=*/false},
  };
  return *options;
}

}  // namespace

const char* LauncherName(Launcher launcher) {
  return launcher == Launcher::kUnshare ? "unshare" : "bwrap";
}

absl::StatusOr<std::vector<std::string>> LauncherCommand(
    Launcher launcher, const std::vector<std::string>& types) {
  std::vector<std::string> command = {LauncherName(launcher)};
  if (launcher == Launcher::kBwrap) {
    // The holder sees the whole file system, may mount and set names in its
    // namespaces (the capabilities count there only), and dies with the
    // test even if the test is killed.
    command.insert(command.end(), {"--dev-bind", "/", "/", "--cap-add", "ALL",
                                   "--die-with-parent"});
  }
  for (const std::string& type : types) {
    const TypeOptions* found = nullptr;
    for (const TypeOptions& options : AllTypeOptions()) {
      if (type == options.type) found = &options;
    }
    if (found == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("no such namespace type: \"", type, "\""));
    }
    if (launcher == Launcher::kBwrap && !found->bwrap_can) {
      return absl::UnimplementedError(
          absl::StrCat("bwrap cannot make a ", type, " namespace"));
    }
    const std::vector<std::string>& options =
        launcher == Launcher::kUnshare ? found->unshare : found->bwrap;
    command.insert(command.end(), options.begin(), options.end());
  }
  return command;
}

absl::StatusOr<std::unique_ptr<NamespaceHolder>> StartHolder(
    Launcher launcher, const std::vector<std::string>& types,
    absl::string_view setup_script, bool unprivileged) {
  absl::StatusOr<std::vector<std::string>> command =
      LauncherCommand(launcher, types);
  if (!command.ok()) return command.status();
  return NamespaceHolder::Start(*std::move(command), setup_script,
                                unprivileged);
}

}  // namespace gons::integration
