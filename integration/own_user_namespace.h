// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: own_user_namespace.h
// -----------------------------------------------------------------------------
//
// The ordinary user's variant of a test that needs CAP_SYS_ADMIN: the test
// runs again in a copy of its own binary inside a user namespace the test
// makes (`unshare --user --map-root-user`), where that user has the
// capability over every namespace it makes there. That is what applies to an
// ordinary user: it may enter and make the namespaces its own user namespace
// owns, and no others.
//
// Example:
//
//   TEST_F(ThreadTest, EntersTheTarget) {
//     if (geteuid() != 0) {
//       // SetUp() ran GONS_REQUIRE_NAMESPACES(..., CLONE_NEWUSER | ...).
//       return RunCurrentTestInOwnUserNamespace(CLONE_NEWNET);
//     }
//     ... the test as root: in the copy it runs as root of its namespace.
//   }

#ifndef GONS_INTEGRATION_OWN_USER_NAMESPACE_H_
#define GONS_INTEGRATION_OWN_USER_NAMESPACE_H_

#include <sched.h>  // CLONE_NEW*, for callers

#include <string>
#include <vector>

namespace gons::integration {

// Runs the current test again, alone, in a copy of this test binary started
// by `unshare --user --map-root-user` with new namespaces of the types in
// `clone_flags` too (CLONE_NEWNET, CLONE_NEWUTS, CLONE_NEWIPC,
// CLONE_NEWCGROUP, CLONE_NEWNS; any other bit is a test failure), so that
// they are owned by the new user namespace. In the copy geteuid() is 0. The
// copy gets this process's environment minus the files and choices of
// Bazel's test protocol (XML report, shard and exit markers, test filter).
// Reports the copy's outcome as the current test's: passes when it passed,
// skips with the copy's cause when it skipped, fails with its output
// otherwise. The caller checks first, with GONS_REQUIRE_NAMESPACES, that
// the host lets it make those namespaces. Call from a test body running as
// an ordinary user; it forks, so call it while no other thread forks.
void RunCurrentTestInOwnUserNamespace(int clone_flags);

// Returns the unshare(1) options for `clone_flags` (as above), or an empty
// list with `*unknown` set to the bits it has no option for.
std::vector<std::string> UnshareOptions(int clone_flags, int* unknown);

// Returns whether the environment entry "NAME=VALUE" is one of Bazel's test
// protocol that a copy of the test binary must neither read nor write.
bool BelongsToThisTestRun(const std::string& entry);

// Returns the cause googletest printed for a skipped test in `output`: the
// text after "Skipped", or "(no cause given)".
std::string SkipCause(const std::string& output);

}  // namespace gons::integration

#endif  // GONS_INTEGRATION_OWN_USER_NAMESPACE_H_
