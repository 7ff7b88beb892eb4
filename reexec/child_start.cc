// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The first step of every program that links //reexec, from the
// executable's `.preinit_array` like the switcher's, and before it: it
// opens the program's own file for re-execution (see host_program.h); and
// with gons_reexec_dumpable=0 (set by
// Dumpable(false)) the child makes itself non-dumpable before it enters any
// namespace, so that at no moment can a process of those namespaces
// ptrace it or open its /proc entries. Entering a user namespace would not
// do it for us: the kernel keeps a process dumpable when its new
// credentials are a subset of the old ones, as they are when it enters a
// user namespace that its own user owns.
//
// Why before the switcher: the linker places `.preinit_array` entries in link
// order, and a library comes before the libraries it depends on; this one
// depends on //gons (see BUILD), whose startup hook holds the switcher's
// entry. Like the switcher, it reads the `envp` array it is given (environ
// is not set yet), allocates nothing and uses no Abseil. Unlike the
// switcher it leaves the array as it is: the switcher finds the auxiliary
// vector right after the array's end, which removing an entry would move
// (RunAction() unsets the variable later).

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gons/environment.h"
#include "gons/raw_system_call.h"
#include "reexec/host_program.h"

namespace {

// The program's own file, opened before the switcher can enter another
// mount namespace (where /proc/self/exe may be a container's, or absent).
// -1 when /proc is missing at start (a chroot without it).
int host_program = -1;

// Returns whether the first "gons_reexec_dumpable=..." entry of `envp`
// says 0. Compared by hand, and prctl() below made raw, for the reason in
// gons/raw_system_call.h.
bool AskedNonDumpable(char* const* envp) {
  for (char* const* entry = envp; *entry != nullptr; ++entry) {
    const char* value =
        gons::internal::EntryValue(*entry, gons::kReexecDumpableVariable);
    if (value != nullptr) return value[0] == '0' && value[1] == '\0';
  }
  return false;
}

// Returns whether `envp` names an action: this is a re-executed child,
// which runs no action of its own (RunReexecAction() refuses there).
bool IsReexecutedChild(char* const* envp) {
  for (char* const* entry = envp; *entry != nullptr; ++entry) {
    if (gons::internal::EntryValue(*entry, gons::kReexecActionVariable) !=
        nullptr) {
      return true;
    }
  }
  return false;
}

void PrepareReexecutedChild(int /*argc*/, char** /*argv*/, char** envp) {
  if (envp == nullptr || !IsReexecutedChild(envp)) {
    // A child keeps only descriptors 0, 1 and 2.
    const long opened = gons::internal::RawSystemCall(
        SYS_openat, AT_FDCWD, reinterpret_cast<long>("/proc/self/exe"),
        O_PATH | O_CLOEXEC);
    host_program = opened >= 0 ? static_cast<int>(opened) : -1;
    return;
  }
  if (!AskedNonDumpable(envp)) return;
  // Cannot fail with these arguments; if it somehow did, the action would
  // still run dumpable, as any process does.
  // (PR_SET_DUMPABLE reads no argument after the second.)
  gons::internal::RawSystemCall(SYS_prctl, PR_SET_DUMPABLE, 0, 0);
}

// `used` keeps the compiler from discarding the unreferenced pointer.
[[gnu::section(".preinit_array"),
  gnu::used]] void (*const prepare_reexecuted_child)(int, char**, char**) =
    PrepareReexecutedChild;

}  // namespace

namespace gons::reexec::internal {

int HostProgramDescriptor() { return host_program; }

}  // namespace gons::reexec::internal
