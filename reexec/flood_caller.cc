// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A caller of the runner that runs out of memory for real while it reads
// a child that floods its stdout: for child_ownership_test, which cannot
// lower its own address space limit (its other tests need the memory).
//
// Usage: flood_caller MIB
// Lowers RLIMIT_AS to the address space it uses now plus MIB mebibytes,
// runs the action "flood" (writes to stdout without end) with a string
// Result() and the default MaxResultSize() (1 GiB, above the limit), and
// prints one line: the status's code name, a space, and "none" when no
// child process is left (running or zombie), else the one found. Exits 0
// after printing; 2 on a usage error; 3 when the limit cannot be set.

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "reexec/leak_check.h"
#include "reexec/reexec.h"

namespace {

const bool registered = [] {
  gons::reexec::Register("flood", [] {
    static const std::string chunk(1 << 20, '7');
    for (;;) {
      if (write(1, chunk.data(), chunk.size()) < 0) return;
    }
  });
  return true;
}();

// The address space in use now, in bytes (the first field of statm, in
// pages), or 0 when it cannot be read.
unsigned long long AddressSpaceInUse() {
  std::ifstream statm("/proc/self/statm");
  unsigned long long pages = 0;
  if (!(statm >> pages)) return 0;
  return pages * static_cast<unsigned long long>(sysconf(_SC_PAGESIZE));
}

}  // namespace

int main(int argc, char** argv) {
  gons::reexec::CheckAction();
  unsigned long long mebibytes = 0;
  if (argc != 2 || !absl::SimpleAtoi(argv[1], &mebibytes)) {
    std::fprintf(stderr, "usage: flood_caller MIB\n");
    return 2;
  }
  const unsigned long long in_use = AddressSpaceInUse();
  const rlimit limit = {in_use + (mebibytes << 20), in_use + (mebibytes << 20)};
  if (in_use == 0 || setrlimit(RLIMIT_AS, &limit) != 0) {
    std::perror("flood_caller: setrlimit(RLIMIT_AS)");
    return 3;
  }
  std::string result;
  const absl::Status status =
      gons::reexec::RunReexecAction("flood", gons::reexec::Result(&result));
  const std::string left = gons::reexec::leak_check::ChildrenLeft();
  std::printf("%s %s\n", absl::StatusCodeToString(status.code()).c_str(),
              left.empty() ? "none" : left.c_str());
  std::fprintf(stderr, "%s\n", status.ToString().c_str());
  return 0;
}
