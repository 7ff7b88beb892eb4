// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: environment.h
// -----------------------------------------------------------------------------
//
// The names of every environment variable that gons reads or writes, in one
// place. The switcher reads them before `main()`, the reexec runner sets them
// for its children, and the tests and tools use the same constants, so a
// variable cannot be spelled two ways.
//
// Example:
//
//   setenv(gons::kOrderVariable, "net,uts", /*overwrite=*/1);

#ifndef GONS_ENVIRONMENT_H_
#define GONS_ENVIRONMENT_H_

namespace gons {

// Every name here has internal linkage (`constexpr`, not `inline
// constexpr`): GCC exports an inline variable as an STB_GNU_UNIQUE symbol,
// which the loader would bind at every start of every program that links
// gons, whether or not a gons_* variable is set.

// Every variable of gons starts with this prefix; the switcher consumes the
// ones it knows and leaves any other `gons_*` variable alone.
constexpr char kVariablePrefix[] = "gons_";

// Optional comma-separated order of namespace types, such as `!user,mnt,net`.
// Unset means `kDefaultOrder`; set but empty means "switch nothing".
constexpr char kOrderVariable[] = "gons_order";

// The prefix of a tolerant `gons_order` (see gons/order.h).
constexpr char kTolerantPrefix[] = "tolerant:";

// The order used when `gons_order` is not set: every type, each path opened
// before the first switch, tolerant (see gons/order.h).
constexpr char kDefaultOrder[] =
    "tolerant:!user,!mnt,!cgroup,!ipc,!net,!pid,!uts,!time";

// Optional: the ids the process has after entering a user namespace.
// Unset, empty or `keep`: it keeps its uid and gids, which the namespace may
// not map (it then sees the overflow id, 65534). `root`: as util-linux
// nsenter does without --preserve-credentials, it drops its supplementary
// groups (unless the namespace denies setgroups) and becomes uid and gid 0
// of the namespace, which must map them.
constexpr char kCredentialsVariable[] = "gons_credentials";

// One variable per namespace type: the path of the namespace to enter.
constexpr char kCgroupVariable[] = "gons_cgroup";
constexpr char kIpcVariable[] = "gons_ipc";
constexpr char kMntVariable[] = "gons_mnt";
constexpr char kNetVariable[] = "gons_net";
constexpr char kPidVariable[] = "gons_pid";
constexpr char kTimeVariable[] = "gons_time";
constexpr char kUserVariable[] = "gons_user";
constexpr char kUtsVariable[] = "gons_uts";

// Set by the reexec runner in a child: the name of the registered action that
// the child runs instead of its normal `main()` work.
constexpr char kReexecActionVariable[] = "gons_reexec_action";

// Set to `0` by the reexec runner for a child started with Dumpable(false):
// the child makes itself non-dumpable before it enters any namespace, and
// CheckAction() removes the variable.
constexpr char kReexecDumpableVariable[] = "gons_reexec_dumpable";

// Set to `1` (by CI) so that tests which would skip on a host that lacks a
// namespace feature fail instead.
constexpr char kMustWorkVariable[] = "GONS_MUST_WORK";

namespace internal {

// Returns the end of `prefix` in `text` when `text` starts with it, else
// null. Plain loops, no libc call: the switcher and the reexec child's first
// step use these before main(), where every libc symbol they named would be
// one more for the loader to bind in every program (see switcher.cc).
constexpr const char* SkipPrefix(const char* text, const char* prefix) {
  for (; *prefix != '\0'; ++text, ++prefix) {
    if (*text != *prefix) return nullptr;
  }
  return text;
}

// Returns the value of the environment entry `entry` ("NAME=VALUE") when its
// name is `name`, else null.
constexpr const char* EntryValue(const char* entry, const char* name) {
  const char* end = SkipPrefix(entry, name);
  return end != nullptr && *end == '=' ? end + 1 : nullptr;
}

}  // namespace internal
}  // namespace gons

#endif  // GONS_ENVIRONMENT_H_
