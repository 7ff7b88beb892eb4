// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The startup hook: puts the switcher into the executable's `.preinit_array`.
//
// Why `.preinit_array`: the loader calls these functions before the
// constructors of every shared library and before the executable's own static
// initializers, so no C++ initializer can have started a thread yet, and the
// user, mount and time namespaces can still be entered. Only executables have
// a `.preinit_array`; the linker rejects it in a shared object, so linking
// this file into one fails at build time instead of silently doing nothing.
//
// Why `envp` and not `environ`: in a dynamically linked program, `environ`
// is still NULL while `.preinit_array` runs (getenv() finds nothing, and
// setenv() edits a list that libc replaces right after). The array passed
// here is the one libc later points `environ` at, so editing it in place
// removes the variables for good.
//
// This file must be linked whole (the BUILD target is `alwayslink`): nothing
// refers to the hook, so a linker pulling objects from an archive on demand
// would drop it.

#include "gons/switcher.h"

namespace {

void SwitchNamespacesBeforeMain(int /*argc*/, char** /*argv*/, char** envp) {
  gons::internal::RunSwitcherAtStartup(envp);
}

// `used` keeps the compiler from discarding the unreferenced pointer.
[[gnu::section(".preinit_array"),
  gnu::used]] void (*const switch_namespaces_before_main)(int, char**, char**) =
    SwitchNamespacesBeforeMain;

}  // namespace
