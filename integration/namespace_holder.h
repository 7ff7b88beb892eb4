// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: namespace_holder.h
// -----------------------------------------------------------------------------
//
// Throwaway namespaces for tests. A holder is a process that a launcher such
// as `unshare` or `bwrap` has put into new namespaces; it runs a setup
// script, says "ready" with its process ID, and then waits for its stdin to
// close. While it lives, its namespaces can be entered through
// /proc/PID/ns/TYPE; destroying the holder kills it and reaps it (and the
// launcher, when the launcher stays around as its parent, as bwrap does), and
// the namespaces vanish with it.
//
// The holder may be the launcher itself (`unshare` execs the script), the
// launcher's child (`bwrap` forks and waits), or further down behind a new
// PID namespace (`unshare --pid --fork`, `bwrap --unshare-pid`): it is found
// in the launcher's process tree by the PID it reports, which is its PID in
// its own PID namespace.
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder =
//       NamespaceHolder::Start({"unshare", "--user", "--map-root-user",
//                               "--uts"}, "hostname inner", false);
//   std::string uts = (*holder)->NamespacePath("uts");  // /proc/123/ns/uts
//
// Thread-compatible: one holder is used by one thread at a time; holders on
// different threads are independent.

#ifndef GONS_INTEGRATION_NAMESPACE_HOLDER_H_
#define GONS_INTEGRATION_NAMESPACE_HOLDER_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gons::integration {

class NamespaceHolder {
 public:
  // Runs `launcher` (program and options, searched in /usr/bin and /bin)
  // with `/bin/sh -ec SCRIPT` appended, where SCRIPT is `setup_script`
  // followed by the ready-and-wait protocol. `unprivileged` runs it as the
  // unprivileged user. Fails, with the launcher's output, when it does not
  // get ready; whatever it started is killed and reaped by then.
  static absl::StatusOr<std::unique_ptr<NamespaceHolder>> Start(
      std::vector<std::string> launcher, absl::string_view setup_script,
      bool unprivileged);

  // Kills the holder and reaps it and its launcher. Returns once the holder
  // has exited, so its namespaces are gone unless something else holds them.
  ~NamespaceHolder();
  NamespaceHolder(const NamespaceHolder&) = delete;
  NamespaceHolder& operator=(const NamespaceHolder&) = delete;

  // Returns the process ID of the holder (the process in the namespaces).
  pid_t pid() const { return pid_; }

  // Returns "/proc/PID/ns/TYPE" ("net", "time_for_children", ...).
  std::string NamespacePath(absl::string_view type) const;

  // Returns how many holders of this process are alive (started and not yet
  // destroyed). Thread-safe.
  static int LiveCount();

 private:
  NamespaceHolder(pid_t launcher_pid, int launcher_pidfd, int standard_input);

  // Finds the holder in the launcher's process tree by the PID from its
  // "ready" line (its PID in its own PID namespace) and holds pidfds to it
  // and to the processes between it and the launcher.
  absl::Status Adopt(pid_t reported);

  pid_t launcher_pid_;
  int launcher_pidfd_;
  int standard_input_;
  pid_t pid_ = -1;
  // The processes from the launcher's child down to the holder (or just the
  // launcher when it is the holder).
  std::vector<int> chain_pidfds_;
};

// Returns the inode number that identifies the namespace at `path`.
absl::StatusOr<unsigned long long> NamespaceId(const std::string& path);

// Returns the user ID that owns the user namespace at `path`, or for another
// type the user namespace that owns it: 0 for the initial user namespace.
// Fails (PERMISSION_DENIED) when that user namespace is above the caller's.
absl::StatusOr<uid_t> NamespaceOwnerUid(const std::string& path);

// Returns the full path of `program` in /usr/bin, /bin, /usr/sbin or /sbin.
absl::StatusOr<std::string> FindProgram(absl::string_view program);

}  // namespace gons::integration

#endif  // GONS_INTEGRATION_NAMESPACE_HOLDER_H_
