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
//
// Output (stdout): two lines, the spawned call's status then the forked
// call's, each as absl::Status::ToString() with newlines escaped as \n.
// Exit status: 0 when both calls ran (whatever they returned), 1 on bad
// usage.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_replace.h"
#include "reexec/reexec.h"

namespace {

const bool registered = [] {
  gons::reexec::Register("noop", [] {});
  return true;
}();

}  // namespace

int main(int argc, char** argv) {
  gons::reexec::CheckAction();
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
