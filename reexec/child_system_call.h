// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: child_system_call.h
// -----------------------------------------------------------------------------
//
// The system calls of a child that ChildOwner starts, between clone() and
// exec: raw, with up to five arguments, returning -errno on failure.
//
// Example:
//
//   const long result = ChildSystemCall(SYS_setpgid, 0, 0);
//   if (result < 0) ...  // -errno
//
// Internal to child_owner.cc.

#ifndef GONS_REEXEC_CHILD_SYSTEM_CALL_H_
#define GONS_REEXEC_CHILD_SYSTEM_CALL_H_

namespace gons::reexec::internal {

// Makes system call `number`; returns its result or -errno. The child runs
// on the parent's memory until it executes the program, so it makes only
// raw system calls: a libc function would set the parent thread's errno,
// and might take a lock that another parent thread holds.
[[gnu::always_inline]] inline long ChildSystemCall(long number, long a = 0,
                                                   long b = 0, long c = 0,
                                                   long d = 0, long e = 0) {
#if defined(__x86_64__)
  long result;
  register long r10 asm("r10") = d;
  register long r8 asm("r8") = e;
  asm volatile("syscall"
               : "=a"(result)
               : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
               : "rcx", "r11", "memory");
  return result;
#elif defined(__aarch64__)
  register long x8 asm("x8") = number;
  register long x0 asm("x0") = a;
  register long x1 asm("x1") = b;
  register long x2 asm("x2") = c;
  register long x3 asm("x3") = d;
  register long x4 asm("x4") = e;
  asm volatile("svc 0"
               : "+r"(x0)
               : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
               : "memory");
  return x0;
#else
#error "child_system_call.h needs raw system calls for this architecture"
#endif
}

// The kernel's struct sigaction (handler, flags, restorer, mask).
struct KernelSigaction {
  unsigned long handler;
  unsigned long flags;
  unsigned long restorer;
  unsigned long mask;
};

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_CHILD_SYSTEM_CALL_H_
