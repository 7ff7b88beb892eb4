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
//     if (std::string why = UserNamespacesUnavailable(privilege); !why.empty())
//       GONS_SKIP_OR_FAIL(why);
//   }

#ifndef GONS_INTEGRATION_HOST_SUPPORT_H_
#define GONS_INTEGRATION_HOST_SUPPORT_H_

#include <string>

#include "gtest/gtest.h"

namespace gons::integration {

// Who a test runs its programs as.
enum class Privilege {
  kRoot,          // The real root user (the test must run as root).
  kUnprivileged,  // An ordinary user: kUnprivilegedUid when the test is
                  // root, otherwise the user running the test.
};

// Returns "root" or "rootless", for test names.
const char* PrivilegeName(Privilege privilege);

// Whether programs for `privilege` must drop root first (the test is root).
bool MustDropPrivileges(Privilege privilege);

// Returns why `privilege` cannot be used here, or "" when it can.
std::string PrivilegeUnavailable(Privilege privilege);

// Returns why this host does not let `privilege` create a user namespace
// (tried with `unshare --user --map-root-user true`), or "".
std::string UserNamespacesUnavailable(Privilege privilege);

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

#endif  // GONS_INTEGRATION_HOST_SUPPORT_H_
