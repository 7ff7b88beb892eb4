// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: namespace_launcher.h
// -----------------------------------------------------------------------------
//
// The tools that make throwaway namespaces for the tests, `unshare` and
// bubblewrap (`bwrap`), behind one request: which namespace types to make.
// The same test can then run against namespaces from either tool, and a
// holder (see namespace_holder.h) keeps them alive.
//
// Both tools map the caller to root in a new user namespace and give the
// holder's setup script every capability there, so that a script may mount
// (`mount -t tmpfs gons /tmp`) and set the host name, rootless too. bwrap
// always makes a mount namespace, binds the whole file system into it
// (`--dev-bind / /`), kills the holder when its own parent dies
// (`--die-with-parent`), and cannot make time namespaces.
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder = StartHolder(
//       Launcher::kBwrap, {"user", "mnt", "net"}, "hostname inner",
//       /*unprivileged=*/true);
//
// Thread-safe (no shared state).

#ifndef GONS_INTEGRATION_NAMESPACE_LAUNCHER_H_
#define GONS_INTEGRATION_NAMESPACE_LAUNCHER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "integration/namespace_holder.h"

namespace gons::integration {

// A tool that makes new namespaces and runs a command in them.
enum class Launcher {
  kUnshare,  // util-linux unshare(1): execs the command in place.
  kBwrap,    // bubblewrap: forks the command and waits for it.
};

// Returns "unshare" or "bwrap", for test names and messages.
const char* LauncherName(Launcher launcher);

// Returns the launcher's command line (program name and options) that makes
// new namespaces of each of `types` ("user", "mnt", "net", "uts", "ipc",
// "cgroup", "pid", "time"), ready for a command to be appended. Fails with
// kInvalidArgument for an unknown type, kUnimplemented for a type the tool
// cannot make.
absl::StatusOr<std::vector<std::string>> LauncherCommand(
    Launcher launcher, const std::vector<std::string>& types);

// Starts a NamespaceHolder in new namespaces of `types` made by `launcher`,
// running `setup_script` in them first; `unprivileged` as in
// NamespaceHolder::Start().
absl::StatusOr<std::unique_ptr<NamespaceHolder>> StartHolder(
    Launcher launcher, const std::vector<std::string>& types,
    absl::string_view setup_script, bool unprivileged);

}  // namespace gons::integration

#endif  // GONS_INTEGRATION_NAMESPACE_LAUNCHER_H_
