// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The host check of //integration (NamespacesUnavailable()) for shell tests,
// so that they skip for the same precise cause as the C++ tests.
//
// Usage: namespace_check [--rootless] KIND...
//   KIND: user, mnt, net, uts, ipc, pid, cgroup, time (the namespaces to make;
//   with user, the others are made inside the new user namespace).
//   --rootless: check for an ordinary user (uid 65534 when run as root)
//   instead of the caller itself.
// Exits 0 when the namespaces can be made; otherwise prints why on stdout
// and exits 1. Exits 2 on a usage error.

#include <sched.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "integration/host_support.h"

namespace {

int FlagOf(const char* kind) {
  static constexpr struct {
    const char* name;
    int flag;
  } kKinds[] = {{"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},
                {"net", CLONE_NEWNET},       {"uts", CLONE_NEWUTS},
                {"ipc", CLONE_NEWIPC},       {"pid", CLONE_NEWPID},
                {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME}};
  for (const auto& known : kKinds) {
    if (std::strcmp(kind, known.name) == 0) return known.flag;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using gons::integration::Privilege;
  Privilege privilege = gons::integration::CurrentPrivilege();
  int flags = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rootless") == 0) {
      privilege = Privilege::kUnprivileged;
      continue;
    }
    const int flag = FlagOf(argv[i]);
    if (flag == 0) {
      std::fprintf(stderr, "namespace_check: unknown namespace kind: %s\n",
                   argv[i]);
      return 2;
    }
    flags |= flag;
  }
  if (flags == 0) {
    std::fprintf(stderr, "usage: namespace_check [--rootless] KIND...\n");
    return 2;
  }
  const std::string why =
      gons::integration::NamespacesUnavailable(privilege, flags);
  if (why.empty()) return 0;
  std::printf("%s\n", why.c_str());
  return 1;
}
