// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The README's example: prints the host name seen inside the UTS namespace
// given as the first argument, found by an action in a re-executed child.
//
// Usage: example [UTS_NAMESPACE_PATH]   (default: the caller's own)
// Prints the host name and exits 0, or prints the error and exits 1.

#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
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

  std::vector<gons::reexec::Namespace> namespaces;
  if (argc > 1) namespaces.push_back({"uts", argv[1]});
  std::string hostname;
  const absl::Status status = gons::reexec::RunReexecAction(
      "hostname", gons::reexec::Namespaces(namespaces),
      gons::reexec::Result(&hostname));
  if (!status.ok()) {
    std::cerr << status << "\n";
    return 1;
  }
  std::cout << hostname << "\n";
  return 0;
}
