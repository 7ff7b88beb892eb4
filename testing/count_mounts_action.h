// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: count_mounts_action.h
// -----------------------------------------------------------------------------
//
// A reexec action for the coverage tests, registered by linking the
// library: it counts the mount points that the child sees. Its code runs
// only in re-executed children, never in the process that starts them, so
// whether its lines show as covered tells whether the children's coverage
// was collected.

#ifndef GONS_TESTING_COUNT_MOUNTS_ACTION_H_
#define GONS_TESTING_COUNT_MOUNTS_ACTION_H_

namespace gons::reexec {

// The action's name; its result is a JSON number.
inline constexpr char kCountMountsAction[] = "count-mounts";

// The source file of the action's code, as the coverage report names it.
inline constexpr char kCountMountsSource[] = "testing/count_mounts_action.cc";

}  // namespace gons::reexec

#endif  // GONS_TESTING_COUNT_MOUNTS_ACTION_H_
