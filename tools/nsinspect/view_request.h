// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: view_request.h
// -----------------------------------------------------------------------------
//
// The param nsinspect sends its re-executed child, as typed JSON.
//
// Example:
//
//   ViewRequest request;
//   request.enter_pid_namespace = true;
//   reexec::RunReexecAction("nsinspect-view", reexec::Param(request), ...);

#ifndef GONS_TOOLS_NSINSPECT_VIEW_REQUEST_H_
#define GONS_TOOLS_NSINSPECT_VIEW_REQUEST_H_

#include <cstdint>
#include <tuple>

#include "reexec/json.h"
#include "tools/nsinspect/record_codec.h"

namespace gons::nsinspect {

// What nsinspect asks its re-executed child for.
struct ViewRequest {
  bool enter_pid_namespace = false;  // Fork once more to be in it.
  // The target process as the child's /proc numbers it (the last NSpid),
  // or 0 for a target given as namespace files; and its cgroup namespace's
  // inode, which the child checks before trusting that number.
  int target_pid = 0;
  std::uint64_t target_cgroup_namespace = 0;
};

// Returns the JSON names of ViewRequest's members. Thread-safe.
inline auto JsonFields(const ViewRequest*) {
  return std::make_tuple(
      JsonField("enter_pid_namespace", &ViewRequest::enter_pid_namespace),
      JsonField("target_pid", &ViewRequest::target_pid),
      JsonField("target_cgroup_namespace",
                &ViewRequest::target_cgroup_namespace));
}

}  // namespace gons::nsinspect

namespace gons::reexec {

template <>
struct JsonCodec<nsinspect::ViewRequest>
    : nsinspect::RecordCodec<nsinspect::ViewRequest> {};

}  // namespace gons::reexec

#endif  // GONS_TOOLS_NSINSPECT_VIEW_REQUEST_H_
