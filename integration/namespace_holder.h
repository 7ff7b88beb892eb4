// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: namespace_holder.h
// -----------------------------------------------------------------------------
//
// Throwaway namespaces for tests. A holder is a process that a launcher such
// as `unshare` has put into new namespaces; it runs a setup script, says
// "ready", and then waits for its stdin to close. While it lives, its
// namespaces can be entered through /proc/PID/ns/TYPE; destroying the holder
// closes its stdin and reaps it, and the namespaces vanish with it.
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder =
//       NamespaceHolder::Start({"unshare", "--user", "--map-root-user",
//                               "--uts"}, "hostname inner", false);
//   std::string uts = (*holder)->NamespacePath("uts");  // /proc/123/ns/uts

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
  // with `/bin/sh -c SCRIPT` appended, where SCRIPT is `setup_script`
  // followed by the ready-and-wait protocol. `unprivileged` runs it as the
  // unprivileged user. Fails, with the launcher's exit, when it does not get
  // ready.
  static absl::StatusOr<std::unique_ptr<NamespaceHolder>> Start(
      std::vector<std::string> launcher, absl::string_view setup_script,
      bool unprivileged);

  // Closes the holder's stdin and reaps it; kills it if it does not exit.
  ~NamespaceHolder();
  NamespaceHolder(const NamespaceHolder&) = delete;
  NamespaceHolder& operator=(const NamespaceHolder&) = delete;

  pid_t pid() const { return pid_; }

  // Returns "/proc/PID/ns/TYPE" ("net", "time_for_children", ...).
  std::string NamespacePath(absl::string_view type) const;

 private:
  NamespaceHolder(pid_t pid, int standard_input)
      : pid_(pid), standard_input_(standard_input) {}

  pid_t pid_;
  int standard_input_;
};

// Returns the inode number that identifies the namespace at `path`.
absl::StatusOr<unsigned long long> NamespaceId(const std::string& path);

// Returns the full path of `program` in /usr/bin, /bin, /usr/sbin or /sbin.
absl::StatusOr<std::string> FindProgram(absl::string_view program);

}  // namespace gons::integration

#endif  // GONS_INTEGRATION_NAMESPACE_HOLDER_H_
