// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A test helper for namespace_thread_entry_test, to run as another user.
//
//   namespace_thread_probe TYPE PATH
//       Enters PATH (a TYPE namespace) on a namespace thread and prints the
//       status: its code's number on the first line, its message on the
//       second. Prints "0\nOK" when it entered.
//   namespace_thread_probe
//       Prints gons::Status() the same way: what the startup switcher made of
//       the gons_* variables it was started with (the test's oracle).
//
// Exits 0 when it printed a status, 2 on a usage error.

#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "gons/gons.h"
#include "gons/namespace_thread.h"

namespace {

void PrintStatus(const absl::Status& status) {
  std::printf("%d\n%s\n", static_cast<int>(status.code()),
              status.ok() ? "OK" : std::string(status.message()).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 1) {
    PrintStatus(gons::Status());
    return 0;
  }
  if (argc != 3) {
    std::fprintf(stderr, "usage: namespace_thread_probe [TYPE PATH]\n");
    return 2;
  }
  PrintStatus(gons::RunInNamespaces({{argv[1], argv[2]}}, [] {}));
  return 0;
}
