// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: host_support.h
// -----------------------------------------------------------------------------
//
// What the host lets a test do with namespaces, and the rule for a test that
// cannot run here: skip with the reason, unless GONS_MUST_WORK=1 (set by CI),
// where a skip would hide a broken host and the test fails instead.
//
// Example:
//
//   void SetUp() override {
//     // Namespaces made by the test itself with unshare(2) or `unshare`:
//     GONS_REQUIRE_NAMESPACES(CurrentPrivilege(), CLONE_NEWUSER | CLONE_NEWNS);
//     // Namespaces made through a launcher program (unshare, bwrap):
//     std::string why = LauncherUnavailable(Launcher::kBwrap, privilege);
//     if (!why.empty()) GONS_SKIP_OR_FAIL(why);
//   }
//
// Shell tests use the same check through //integration:namespace_check.

#ifndef GONS_INTEGRATION_HOST_SUPPORT_H_
#define GONS_INTEGRATION_HOST_SUPPORT_H_

#include <sched.h>  // CLONE_NEW*, for callers

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "integration/namespace_launcher.h"

namespace gons::integration {

// Who a test runs its programs as.
enum class Privilege {
  kRoot,          // The real root user (the test must run as root).
  kUnprivileged,  // An ordinary user: kUnprivilegedUid when the test is
                  // root, otherwise the user running the test.
};

// Returns the privilege of the calling process itself: kRoot when it runs
// as root, for tests that are about namespaces rather than privileges.
Privilege CurrentPrivilege();

// Returns the privileges a test started by this process can use: root and
// rootless when it runs as root, otherwise rootless only (a root variant of
// a test started by an ordinary user is not instantiated, rather than
// skipped). For INSTANTIATE_TEST_SUITE_P.
std::vector<Privilege> AvailablePrivileges();

// Returns "root" or "rootless", for test names.
const char* PrivilegeName(Privilege privilege);

// Whether programs for `privilege` must drop root first (the test is root).
bool MustDropPrivileges(Privilege privilege);

// Returns why `privilege` cannot be used here, or "" when it can.
std::string PrivilegeUnavailable(Privilege privilege);

// Returns why `launcher` cannot make user, mount and net namespaces here for
// `privilege` (tried once per process and launcher, then remembered), or
// "". The reason names what restricts user namespaces on this host when it
// can tell: sysctls, AppArmor's restriction, a seccomp filter. Thread-safe.
std::string LauncherUnavailable(Launcher launcher, Privilege privilege);

// Returns LauncherUnavailable(Launcher::kUnshare, privilege).
std::string UserNamespacesUnavailable(Privilege privilege);

// Returns why a process running as `privilege` cannot make the namespaces in
// `clone_flags` (CLONE_NEW* bits; with CLONE_NEWUSER the others are made
// inside the new user namespace, as `unshare --user` does), or "" when it
// can. The reason names the system call that was refused, its error, and
// what refused it: a sysctl (user.max_user_namespaces=0, ...), AppArmor's
// restriction, a seccomp filter that refuses namespace calls, or the lack of
// rights (a user namespace is needed when not root). Tries once per process
// and arguments, in a forked child, then remembers. Thread-safe.
//
// Every test that needs namespaces calls this (or GONS_REQUIRE_NAMESPACES)
// in SetUp(); a test that makes no namespace must not.
std::string NamespacesUnavailable(Privilege privilege, int clone_flags);

// Returns the settings of this host that restrict unprivileged user
// namespaces, such as "kernel.apparmor_restrict_unprivileged_userns=1", or
// "" when none is found.
std::string UserNamespaceRestrictions();

// True when this process runs under a seccomp filter that refuses unshare(2)
// or its namespace flags (not merely under any filter). Thread-safe.
bool SeccompRefusesNamespaceCalls();

// True when GONS_MUST_WORK=1.
bool MustWork();

}  // namespace gons::integration

// Skips the current test with `reason`, or fails it under GONS_MUST_WORK=1.
// Use in SetUp() or a TEST body; returns from the calling function.
#define GONS_SKIP_OR_FAIL(reason)                                    \
  do {                                                               \
    if (::gons::integration::MustWork()) {                           \
      GTEST_FAIL() << "GONS_MUST_WORK=1, cannot skip: " << (reason); \
    } else {                                                         \
      GTEST_SKIP() << (reason);                                      \
    }                                                                \
  } while (false)

// Skips (or under GONS_MUST_WORK=1 fails) the current test unless a process
// running as `privilege` can make the namespaces in `clone_flags`; see
// NamespacesUnavailable(). Use in SetUp() or a TEST body; returns from the
// calling function when the namespaces cannot be made.
//
// Example:
//   GONS_REQUIRE_NAMESPACES(CurrentPrivilege(), CLONE_NEWUSER | CLONE_NEWNET);
#define GONS_REQUIRE_NAMESPACES(privilege, clone_flags)                     \
  do {                                                                      \
    const std::string gons_namespaces_unavailable =                         \
        ::gons::integration::NamespacesUnavailable(privilege, clone_flags); \
    if (!gons_namespaces_unavailable.empty()) {                             \
      GONS_SKIP_OR_FAIL(gons_namespaces_unavailable);                       \
    }                                                                       \
  } while (false)

#endif  // GONS_INTEGRATION_HOST_SUPPORT_H_
