// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: namespace_types.h
// -----------------------------------------------------------------------------
//
// The one table that maps a namespace type's name (as written in `gons_order`
// and in reexec's `Namespace::type`) to its `CLONE_NEW*` flag and to the
// environment variable that names its path. Everything in it is `constexpr`
// and allocation-free, so the switcher can use it before `main()`.
//
// Example:
//
//   const gons::NamespaceType* net = gons::FindNamespaceType("net", 3);
//   // net->clone_flag == CLONE_NEWNET, net->variable == "gons_net"

#ifndef GONS_NAMESPACE_TYPES_H_
#define GONS_NAMESPACE_TYPES_H_

#include <sched.h>

#include <cstddef>

#include "gons/environment.h"

namespace gons {

// One kind of Linux namespace that gons can enter.
struct NamespaceType {
  const char* name;      // As in `/proc/PID/ns/NAME`, e.g. "mnt".
  int clone_flag;        // CLONE_NEW*; also what NS_GET_NSTYPE returns.
  const char* variable;  // The `gons_*` variable holding the path.
};

// All namespace types, in the default switching order (see kDefaultOrder).
// Indexes into this table identify a type throughout the switcher.
inline constexpr NamespaceType kNamespaceTypes[] = {
    {"user", CLONE_NEWUSER, kUserVariable},
    {"mnt", CLONE_NEWNS, kMntVariable},
    {"cgroup", CLONE_NEWCGROUP, kCgroupVariable},
    {"ipc", CLONE_NEWIPC, kIpcVariable},
    {"net", CLONE_NEWNET, kNetVariable},
    {"pid", CLONE_NEWPID, kPidVariable},
    {"uts", CLONE_NEWUTS, kUtsVariable},
    {"time", CLONE_NEWTIME, kTimeVariable},
};

inline constexpr int kNumNamespaceTypes =
    static_cast<int>(sizeof(kNamespaceTypes) / sizeof(kNamespaceTypes[0]));

// Returns the index in kNamespaceTypes of the type whose name is exactly the
// `length` characters at `name` (not NUL-terminated), or -1. Case-sensitive:
// `NET` is not a type. Safe before `main()` and from any thread.
constexpr int FindNamespaceTypeIndex(const char* name, std::size_t length) {
  for (int index = 0; index < kNumNamespaceTypes; ++index) {
    const char* candidate = kNamespaceTypes[index].name;
    std::size_t position = 0;
    while (position < length && candidate[position] != '\0' &&
           candidate[position] == name[position]) {
      ++position;
    }
    if (position == length && candidate[position] == '\0') return index;
  }
  return -1;
}

// Returns the index in kNamespaceTypes of the type with this CLONE_NEW* flag,
// or -1. Safe before `main()` and from any thread.
constexpr int FindNamespaceTypeIndexByFlag(int clone_flag) {
  for (int index = 0; index < kNumNamespaceTypes; ++index) {
    if (kNamespaceTypes[index].clone_flag == clone_flag) return index;
  }
  return -1;
}

static_assert(FindNamespaceTypeIndex("net", 3) == 4);
static_assert(FindNamespaceTypeIndex("ne", 2) == -1);
static_assert(FindNamespaceTypeIndex("nets", 4) == -1);
static_assert(FindNamespaceTypeIndexByFlag(CLONE_NEWTIME) == 7);

}  // namespace gons

#endif  // GONS_NAMESPACE_TYPES_H_
