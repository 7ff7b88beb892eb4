// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// fork_server_probe: runs the action "noop" once through a re-executed
// child and once through the fork server, in the namespaces it is given,
// and prints both outcomes, so that a test can compare them when the probe
// runs as an ordinary user (fork_server_namespaces_test copies it where
// that user can run it).
//
// Usage: fork_server_probe TYPE=PATH...
//   TYPE=PATH  a namespace to enter, in this order; TYPE as in gons_order
// Output (stdout): two lines, the spawned call's status then the forked
// call's, each as absl::Status::ToString() with newlines escaped as \n.
//
// Usage: fork_server_probe --helper
//   Runs "noop" through the fork server, prints its helper's pid on a line
//   of its own, then reads stdin to its end and exits with exit(0), which
//   stops the helper (or is killed before that by the test).
//
// Exit status: 0 when the calls ran (whatever they returned), 1 on bad
// usage, 2 when the --helper call failed (the status on stderr).

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_replace.h"
#include "reexec/fork_server.h"
#include "reexec/reexec.h"

namespace {

const bool registered = [] {
  gons::reexec::Register("noop", [] {});
  return true;
}();

}  // namespace

int main(int argc, char** argv) {
  gons::reexec::CheckAction();
  if (argc == 2 && std::string(argv[1]) == "--helper") {
    const absl::Status status =
        gons::reexec::RunReexecAction("noop", gons::reexec::ForkServer(true));
    if (!status.ok()) {
      std::fprintf(stderr, "%s\n", status.ToString().c_str());
      return 2;
    }
    std::printf("%d\n", gons::reexec::internal::ForkServerHelperPid());
    std::fflush(stdout);
    char buffer[64];
    while (read(0, buffer, sizeof(buffer)) > 0) {
    }
    std::exit(0);
  }
  std::vector<gons::reexec::Namespace> namespaces;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    const std::size_t equals = argument.find('=');
    if (equals == std::string::npos) {
      std::fprintf(stderr, "usage: %s TYPE=PATH...\n", argv[0]);
      return 1;
    }
    namespaces.push_back(
        {argument.substr(0, equals), argument.substr(equals + 1)});
  }
  for (const bool fork_server : {false, true}) {
    const absl::Status status = gons::reexec::RunReexecAction(
        "noop", gons::reexec::Namespaces(namespaces),
        gons::reexec::ForkServer(fork_server));
    std::printf(
        "%s\n",
        absl::StrReplaceAll(status.ToString(), {{"\n", "\\n"}}).c_str());
  }
  return 0;
}
