// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// LeakSanitizer's check at exit stops the process's threads with ptrace,
// which the kernel refuses in a non-dumpable process (a set-user-ID program
// is one): LSan then ends a correct program with "LeakSanitizer has
// encountered a fatal error" and exit status 1. Linked into a program that
// may run non-dumpable, this skips the leak check there, and only there.
// Builds without LeakSanitizer never call it.
//
// The name is LeakSanitizer's interface (sanitizer/lsan_interface.h), not
// ours to choose.

#include <sys/prctl.h>

extern "C" int __lsan_is_turned_off() {  // NOLINT(bugprone-reserved-identifier)
  return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1 ? 0 : 1;
}
