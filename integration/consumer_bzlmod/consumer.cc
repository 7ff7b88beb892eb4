// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A program of another module that links @gons//gons and @gons//reexec:
// prints the switcher's status, then the host name that an action sees in a
// re-executed child inside the UTS namespace given as the first argument.
//
// Usage: consumer UTS_NAMESPACE_PATH
// Prints two lines and exits 0, or prints the error and exits 1.

#include <unistd.h>

#include <iostream>
#include <string>

#include "absl/status/status.h"
#include "gons/gons.h"
#include "reexec/reexec.h"

namespace {

// Registered during static initialization, so the child knows it too.
const bool registered = [] {
  gons::reexec::Register("hostname", [] {
    char name[256] = {};
    gethostname(name, sizeof(name) - 1);
    (void)gons::reexec::WriteResult(std::string(name));
  });
  return true;
}();

}  // namespace

int main(int argc, char** argv) {
  gons::reexec::CheckAction();  // In the child: runs "hostname" and exits.

  const absl::Status switcher = gons::Status();
  std::cout << switcher << "\n";
  if (!switcher.ok() || argc != 2) return 1;

  std::string hostname;
  const absl::Status status = gons::reexec::RunReexecAction(
      "hostname", gons::reexec::Namespaces({{"uts", argv[1]}}),
      gons::reexec::Result(&hostname));
  if (!status.ok()) {
    std::cerr << status << "\n";
    return 1;
  }
  std::cout << hostname << "\n";
  return 0;
}
