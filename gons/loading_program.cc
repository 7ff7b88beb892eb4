// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A program that imports dlopen() and getpwnam(), for link_hardening_test
// to show that it sees such imports. Run, it looks up root and loads
// libz.so.1, and exits 0 when both worked.
//
// Usage: loading_program

#include <dlfcn.h>
#include <pwd.h>

int main() {
  const bool found_root = getpwnam("root") != nullptr;
  const bool loaded = dlopen("libz.so.1", RTLD_NOW) != nullptr;
  return found_root && loaded ? 0 : 1;
}
