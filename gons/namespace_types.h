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
// The texts are arrays, not pointers: a table of pointers would need one
// relocation per pointer, applied by the loader at every program's start.
struct NamespaceType {
  char name[8];       // As in `/proc/PID/ns/NAME`, e.g. "mnt".
  int clone_flag;     // CLONE_NEW*; also what NS_GET_NSTYPE returns.
  char variable[12];  // The `gons_*` variable holding the path.
};

// All namespace types, in the default switching order (see kDefaultOrder).
// Indexes into this table identify a type throughout the switcher.
// Internal linkage (`constexpr`, not `inline constexpr`), like the names in
// environment.h: GCC exports an inline variable as an STB_GNU_UNIQUE symbol,
// which the loader binds at every start of every program that links gons.
constexpr NamespaceType kNamespaceTypes[] = {
    {"user", CLONE_NEWUSER, "gons_user"},
    {"mnt", CLONE_NEWNS, "gons_mnt"},
    {"cgroup", CLONE_NEWCGROUP, "gons_cgroup"},
    {"ipc", CLONE_NEWIPC, "gons_ipc"},
    {"net", CLONE_NEWNET, "gons_net"},
    {"pid", CLONE_NEWPID, "gons_pid"},
    {"uts", CLONE_NEWUTS, "gons_uts"},
    {"time", CLONE_NEWTIME, "gons_time"},
};

constexpr int kNumNamespaceTypes =
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

namespace internal {

// Returns whether the NUL-terminated texts `a` and `b` are equal.
constexpr bool SameText(const char* a, const char* b) {
  for (; *a != '\0' && *a == *b; ++a, ++b) {
  }
  return *a == *b;
}

}  // namespace internal

// The table spells each variable as environment.h does.
static_assert(internal::SameText(kNamespaceTypes[0].variable, kUserVariable));
static_assert(internal::SameText(kNamespaceTypes[1].variable, kMntVariable));
static_assert(internal::SameText(kNamespaceTypes[2].variable, kCgroupVariable));
static_assert(internal::SameText(kNamespaceTypes[3].variable, kIpcVariable));
static_assert(internal::SameText(kNamespaceTypes[4].variable, kNetVariable));
static_assert(internal::SameText(kNamespaceTypes[5].variable, kPidVariable));
static_assert(internal::SameText(kNamespaceTypes[6].variable, kUtsVariable));
static_assert(internal::SameText(kNamespaceTypes[7].variable, kTimeVariable));

}  // namespace gons

#endif  // GONS_NAMESPACE_TYPES_H_
