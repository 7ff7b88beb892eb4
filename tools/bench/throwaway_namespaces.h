// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: throwaway_namespaces.h
// -----------------------------------------------------------------------------
//
// Namespaces made for a benchmark and removed after it. A forked holder
// process unshares them and waits; they are reached through
// /proc/HOLDER/ns/TYPE, or, for the extra network namespaces it keeps open,
// /proc/HOLDER/fd/N. When not root, the holder first makes a user namespace
// (mapping the caller's uid to 0), which owns the others and must be entered
// first. Destroying the object tells the holder to exit and reaps it, and
// the namespaces vanish with it.
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<ThrowawayNamespaces>> made =
//       ThrowawayNamespaces::Make(CLONE_NEWNET | CLONE_NEWUTS, 0);
//   std::string net = (*made)->Path("net");  // /proc/123/ns/net

#ifndef GONS_TOOLS_BENCH_THROWAWAY_NAMESPACES_H_
#define GONS_TOOLS_BENCH_THROWAWAY_NAMESPACES_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gons::bench {

class ThrowawayNamespaces {
 public:
  // Forks a holder that unshares `clone_flags` (CLONE_NEW*; CLONE_NEWUSER is
  // added when not root) and then makes `extra_networks` more network
  // namespaces, one after another, keeping each open. Call it while the
  // process is single-threaded. Fails with the holder's error when the
  // kernel refuses.
  static absl::StatusOr<std::unique_ptr<ThrowawayNamespaces>> Make(
      int clone_flags, int extra_networks);

  ~ThrowawayNamespaces();
  ThrowawayNamespaces(const ThrowawayNamespaces&) = delete;
  ThrowawayNamespaces& operator=(const ThrowawayNamespaces&) = delete;

  // Returns /proc/HOLDER/ns/TYPE ("net", "time_for_children", ...).
  std::string Path(absl::string_view type) const;

  // Returns the paths of the extra network namespaces.
  const std::vector<std::string>& extra_networks() const {
    return extra_networks_;
  }

  // Tells whether the holder made a user namespace (that owns the others).
  bool has_user_namespace() const { return has_user_namespace_; }

 private:
  ThrowawayNamespaces(pid_t pid, int release) : pid_(pid), release_(release) {}

  pid_t pid_;
  int release_;  // Closing it tells the holder to exit.
  bool has_user_namespace_ = false;
  std::vector<std::string> extra_networks_;
};

}  // namespace gons::bench

#endif  // GONS_TOOLS_BENCH_THROWAWAY_NAMESPACES_H_
