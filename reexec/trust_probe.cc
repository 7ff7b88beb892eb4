// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A program that links //reexec, for trust_boundary_test (statically
// linked, as programs usually are, so that it needs no $ORIGIN and runs
// set-user-ID). Argv protocol:
//
//   trust_probe secure        expects AT_SECURE; exits 0 when
//                             RunReexecAction() refuses with
//                             kFailedPrecondition naming it.
//   trust_probe hostile-proc  enters a new mount namespace (inside a new
//                             user namespace when not root) whose /proc is
//                             a tmpfs holding a script as self/exe, then
//                             runs an action; exits 0 when the action (not
//                             the script) answered, 1 when the call failed,
//                             2 when the script ran, 77 when unshare is
//                             refused, 78 when the setup failed.
//
// In either mode, gons_reexec_action=write-marker with MARKER=PATH makes
// the action write PATH, when the protocol is honoured.

#include <sched.h>
#include <sys/auxv.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "reexec/reexec.h"

namespace {

const bool registered = [] {
  gons::reexec::Register("answer-42",
                         [] { (void)gons::reexec::WriteResult(42); });
  gons::reexec::Register("write-marker", [] {
    std::ofstream(std::getenv("MARKER")) << "the action ran\n";
  });
  return true;
}();

int Secure() {
  if (getauxval(AT_SECURE) == 0) return 3;
  const absl::Status status = gons::reexec::RunReexecAction("answer-42");
  std::fprintf(stderr, "%s\n", status.ToString().c_str());
  return status.code() == absl::StatusCode::kFailedPrecondition &&
                 status.message().find("AT_SECURE") != std::string::npos
             ? 0
             : 1;
}

bool WriteText(const char* path, const std::string& text) {
  std::ofstream file(path);
  file << text;
  file.close();
  return !file.fail();
}

int HostileProc() {
  // An ordinary user gets the right to make a mount namespace from a user
  // namespace of its own, where it is root.
  if (const uid_t uid = geteuid(), gid = getegid(); uid != 0) {
    if (unshare(CLONE_NEWUSER) != 0) return 77;
    if (!WriteText("/proc/self/setgroups", "deny") ||
        !WriteText("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1") ||
        !WriteText("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1")) {
      return 78;
    }
  }
  if (unshare(CLONE_NEWNS) != 0) return 77;
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
      mount("hostile", "/proc", "tmpfs", 0, nullptr) != 0 ||
      mkdir("/proc/self", 0755) != 0) {
    return 78;
  }
  {
    std::ofstream script("/proc/self/exe");
    script << "#!/bin/sh\necho 666\n";
  }
  if (chmod("/proc/self/exe", 0755) != 0) return 78;
  int answer = 0;
  const absl::Status status =
      gons::reexec::RunReexecAction("answer-42", gons::reexec::Result(&answer));
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  return answer == 42 ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  gons::reexec::CheckAction();
  const std::string mode = argc == 2 ? argv[1] : "";
  if (mode == "secure") return Secure();
  if (mode == "hostile-proc") return HostileProc();
  std::fprintf(stderr, "usage: trust_probe secure|hostile-proc\n");
  return 64;
}
