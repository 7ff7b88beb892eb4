// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: switcher.h
// -----------------------------------------------------------------------------
//
// The switcher proper: reads the `gons_*` variables from an environment
// array, removes them from it, and enters the namespaces they name. It runs
// before `main()` (see startup_hook.cc), so it is written like C: no
// allocation, no exceptions, no iostreams, no objects with constructors, and
// every system call is checked. What it did goes into a StartupRecord.
//
// The system calls come through a SystemCalls table so that tests can inject
// faults and observe the exact sequence of calls without entering real
// namespaces.
//
// Internal to gons; use gons/gons.h.

#ifndef GONS_SWITCHER_H_
#define GONS_SWITCHER_H_

#include "gons/startup_record.h"

namespace gons::internal {

// The system calls the switcher makes. Each returns -errno on failure, as
// the kernel does (not -1 with errno set, like the libc functions they stand
// for: see switcher.cc).
struct SystemCalls {
  int (*open)(const char* path, int flags);
  int (*get_namespace_type)(int fd);  // ioctl(fd, NS_GET_NSTYPE)
  int (*setns)(int fd, int clone_flag);
  int (*close)(int fd);
  long (*count_threads)();     // -1 when unknown (no /proc); never fails.
  bool (*secure_execution)();  // AT_SECURE in the auxiliary vector
  // capget(): the effective capabilities, as bits CAP_*; 0 or -errno.
  int (*effective_capabilities)(unsigned long long* capabilities);
  int (*seccomp_mode)();  // prctl(PR_GET_SECCOMP): 0, 2, or -errno.
  // For gons_credentials=root; each returns 0 or -errno.
  int (*drop_supplementary_groups)();  // setgroups(0, NULL)
  int (*set_gid)(unsigned gid);        // setgid()
  int (*set_uid)(unsigned uid);        // setuid()
};

// The real system calls.
extern const SystemCalls kSystemCalls;

// Consumes the switcher's variables from `envp` (a NULL-terminated array that
// is edited in place: the entries are removed and the rest moved up), then
// enters the namespaces they ask for, recording everything in `record`, which
// must be zero-initialized. Call it once, while the process is
// single-threaded. Every descriptor it opens is closed before it returns.
void RunSwitcher(char** envp, const SystemCalls& calls, StartupRecord* record);

// Returns the record written by the startup hook for this process. Zero
// (with `ran == false`) when the hook was not linked in. Thread-safe after
// `main()` has started: the record is never written again.
const StartupRecord& ProcessStartupRecord();

// Runs the switcher on the process's own environment and records into the
// record that ProcessStartupRecord() returns. Called only by the startup
// hook, from `.preinit_array`.
void RunSwitcherAtStartup(char** envp);

// Runs the switcher again on `envp`, after start-up, replacing the record
// that ProcessStartupRecord() returns: for a process that is single-threaded
// again (a copy forked by reexec's fork server: see reexec/fork_server.h),
// so that it enters namespaces exactly as a re-executed child does before
// main(), and gons::Status() tells it how that went. Every rule of
// RunSwitcher() holds (a process with a second thread is refused, switching
// nothing). Not thread-safe: call it with no other thread in the process.
void RunSwitcherAgain(char** envp, const SystemCalls& calls);

}  // namespace gons::internal

#endif  // GONS_SWITCHER_H_
