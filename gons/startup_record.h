// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: startup_record.h
// -----------------------------------------------------------------------------
//
// The plain record in which the switcher writes what it did before `main()`.
// It is an aggregate of scalars and pointers with no constructor or
// destructor, so a static instance is zero-initialized by the loader: no
// dynamic initializer exists that could run after the switcher and reset it.
// `gons::Status()` turns it into an `absl::Status` once the program runs.
//
// Internal to gons; use gons/gons.h.

#ifndef GONS_STARTUP_RECORD_H_
#define GONS_STARTUP_RECORD_H_

#include <type_traits>

#include "gons/namespace_types.h"
#include "gons/order.h"

namespace gons::internal {

// The step of the switcher that failed.
enum class SwitchStep : unsigned char {
  kNone,         // Nothing failed.
  kSecurity,     // AT_SECURE process: the variables were ignored.
  kParseOrder,   // gons_order is malformed.
  kThreads,      // The process already had more than one thread.
  kOpen,         // open() of a namespace path failed.
  kCheckType,    // The path is not a namespace, or one of another type.
  kEnter,        // setns() failed.
  kClose,        // close() of a namespace descriptor failed.
  kCredentials,  // gons_credentials is malformed, or becoming root failed.
};

// The call of gons_credentials=root that failed (error_number says why).
enum class CredentialsCall : unsigned char {
  kNone,  // The value itself is malformed: nothing was switched.
  kSetgroups,
  kSetgid,
  kSetuid,
};

// When a namespace was entered. An explicit order is one pass; the tolerant
// order (see order.h) has a first pass with the caller's privileges, then
// the user switch, then a second pass for what the first could not enter.
enum class SwitchPass : unsigned char {
  kNone,        // Not entered.
  kInOrder,     // Strict order: in its place in the order.
  kBeforeUser,  // Tolerant: first pass, before the user switch.
  kUser,        // Tolerant: the user switch itself.
  kAfterUser,   // Tolerant: second pass, after the user switch.
};

// What happened to one namespace type.
enum class NamespaceState : unsigned char {
  kNotRequested,  // Variable unset or empty, or type not in the order.
  kPending,       // Requested, but not attempted: an earlier step failed.
  kEntered,
  kFailed,
};

struct NamespaceRecord {
  const char* path;  // Points into the initial environment; null if unset.
  NamespaceState state;
  bool open_early;
  bool opened;  // The path was opened (and the descriptor closed again).
  SwitchPass pass;
  // Tolerant order: the first pass left it for after the user switch,
  // because setns() refused it (`deferred_error` is that errno) or, for a
  // plain type after mnt, because mnt itself was left (0).
  bool deferred;
  int deferred_error;
};

// What the process could do when setns() refused it: read only then, on
// that failure path, so that Status() can name the privilege that was
// missing (or a seccomp filter) without guessing.
struct PrivilegeSnapshot {
  bool taken;
  bool capabilities_known;
  unsigned long long effective_capabilities;  // Bit CAP_* set when held.
  int seccomp_mode;  // PR_GET_SECCOMP: 0 none, 2 filter; -1 unknown.
};

struct StartupRecord {
  bool ran;                // The switcher ran.
  bool variables_present;  // Any variable of the switcher was in envp.
  SwitchStep failed_step;
  int failed_type;       // Index in kNamespaceTypes; valid with kOpen..kClose.
  int error_number;      // errno of the failed call; 0 for a type mismatch.
  int actual_type_flag;  // NS_GET_NSTYPE's answer when it did not match.
  long thread_count;     // -1 when it could not be read.
  const char* order_text;  // gons_order's value, or null when unset.
  OrderParseError order_error;
  ParsedOrder order;  // The order in force, once parsed.
  NamespaceRecord namespaces[kNumNamespaceTypes];  // By type index.
  // The type indexes in the order their setns() succeeded.
  int entered_sequence[kNumNamespaceTypes];
  int entered_count;
  PrivilegeSnapshot privileges;  // Taken when setns() failed.
  const char* credentials_text;  // gons_credentials's value, or null.
  bool become_root;              // gons_credentials=root.
  bool became_root;              // ... and it was done.
  bool setgroups_denied;         // setgroups() was refused (EPERM).
  CredentialsCall failed_credentials_call;
};

static_assert(std::is_trivially_default_constructible_v<StartupRecord>);
static_assert(std::is_trivially_destructible_v<StartupRecord>);

}  // namespace gons::internal

#endif  // GONS_STARTUP_RECORD_H_
