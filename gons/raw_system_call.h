// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: raw_system_call.h
// -----------------------------------------------------------------------------
//
// System calls for code that runs from `.preinit_array` in every program
// that links gons (the switcher, and the reexec child's first step), made
// directly rather than through their libc functions. The loader binds every
// libc symbol a program imports before `main()` (all of them, with -z now),
// whether or not a gons_* variable is set, so each one the start-up code
// named would cost every program a symbol lookup; errno alone would be one
// more (__errno_location). Internal to gons.
//
// Example:
//
//   const long fd = RawSystemCall(SYS_openat, AT_FDCWD,
//                                 reinterpret_cast<long>(path), O_RDONLY);
//   if (fd < 0) Report(-fd);  // -errno

#ifndef GONS_RAW_SYSTEM_CALL_H_
#define GONS_RAW_SYSTEM_CALL_H_

#include <unistd.h>

#include <cerrno>

namespace gons::internal {

// Makes system call `number` with up to three arguments (the others are
// left undefined: use it only for calls that read no more). Returns the
// result, or -errno, as the kernel does. Thread-safe.
inline long RawSystemCall(long number, long first, long second, long third) {
#if defined(__x86_64__)
  long result;
  asm volatile("syscall"
               : "=a"(result)
               : "a"(number), "D"(first), "S"(second), "d"(third)
               : "rcx", "r11", "memory");
  return result;
#elif defined(__aarch64__)
  register long x8 asm("x8") = number;
  register long x0 asm("x0") = first;
  register long x1 asm("x1") = second;
  register long x2 asm("x2") = third;
  asm volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
  return x0;
#else
  const long result = ::syscall(number, first, second, third);
  return result < 0 ? -errno : result;
#endif
}

}  // namespace gons::internal

#endif  // GONS_RAW_SYSTEM_CALL_H_
