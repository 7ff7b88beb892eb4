// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Runs a command under a seccomp filter like the one a container runtime's
// default profile applies to a container without CAP_SYS_ADMIN, so that the
// test suite can be run the way it runs in such a container:
//
//   - unshare(2), setns(2), mount(2), umount2(2) and pivot_root(2) fail with
//     EPERM;
//   - clone(2) with any CLONE_NEW* flag fails with EPERM (plain clone, as in
//     fork(2) and threads, is allowed);
//   - clone3(2) fails with ENOSYS, as under Docker: its flags are in memory a
//     filter cannot read, and ENOSYS makes libc fall back to clone(2).
//
// The filter is inherited by every descendant and cannot be removed. Run by
// root, it keeps set-user-ID programs working (as under Docker); run by an
// ordinary user, it needs no_new_privs, which turns them off.
//
// Usage: no_namespaces COMMAND [ARG...]
// Execs COMMAND (found through PATH); exits 127 with a message if the filter
// cannot be installed or COMMAND cannot be run.

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#ifndef __NR_clone3
#define __NR_clone3 435
#endif

namespace {

#if defined(__x86_64__)
constexpr unsigned int kArchitecture = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr unsigned int kArchitecture = AUDIT_ARCH_AARCH64;
#else
#error "no seccomp architecture for this target"
#endif

constexpr unsigned int kNamespaceFlags =
    CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
    CLONE_NEWNET | CLONE_NEWCGROUP;

constexpr unsigned int Refuse(int error) {
  return SECCOMP_RET_ERRNO | (static_cast<unsigned int>(error) & 0xffff);
}

// Offsets into struct seccomp_data. The jump offsets below count the
// instructions to skip; the returns at the end are, in order: ENOSYS (clone3),
// kill (x32), EPERM, allow.
constexpr unsigned int kNumber = offsetof(struct seccomp_data, nr);
constexpr unsigned int kArch = offsetof(struct seccomp_data, arch);
// The low 32 bits of the first argument (little-endian targets).
constexpr unsigned int kFirstArgument = offsetof(struct seccomp_data, args[0]);

const sock_filter kFilter[] = {
    // Another architecture's calls (x32, i386 on x86-64) are killed: their
    // numbers differ and would slip through.
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kArch),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kArchitecture, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kNumber),
#if defined(__x86_64__)
    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 11, 0),  // x32: kill.
#else
    BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0),
#endif
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 11, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_setns, 10, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mount, 9, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_umount2, 8, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_pivot_root, 7, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 4, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kFirstArgument),
    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, kNamespaceFlags, 2, 3),
    BPF_STMT(BPF_RET | BPF_K, Refuse(ENOSYS)),            // clone3
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),  // x32
    BPF_STMT(BPF_RET | BPF_K, Refuse(EPERM)),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: no_namespaces COMMAND [ARG...]\n");
    return 127;
  }
  sock_fprog program = {
      static_cast<unsigned short>(sizeof(kFilter) / sizeof(kFilter[0])),
      const_cast<sock_filter*>(kFilter)};
  // Root installs the filter as a container runtime does, without
  // no_new_privs, so that set-user-ID programs and file capabilities keep
  // working under it. An ordinary user may install one only with
  // no_new_privs (exec then gains no privileges).
  if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0) {
    if (errno != EACCES || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0) {
      std::fprintf(stderr, "no_namespaces: seccomp: %s\n",
                   std::strerror(errno));
      return 127;
    }
  }
  execvp(argv[1], argv + 1);
  std::fprintf(stderr, "no_namespaces: %s: %s\n", argv[1],
               std::strerror(errno));
  return 127;
}
