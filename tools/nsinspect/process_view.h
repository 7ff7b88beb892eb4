// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: process_view.h
// -----------------------------------------------------------------------------
//
// What belongs to a process and its user, cgroup and time namespaces:
// id maps, cgroup membership and clock offsets, with their JsonCodecs.
//
// Example:
//
//   IdMapping root{.inside = 0, .outside = 100000, .count = 65536};
//   std::string json = gons::reexec::EncodeJson(root);

#ifndef GONS_TOOLS_NSINSPECT_PROCESS_VIEW_H_
#define GONS_TOOLS_NSINSPECT_PROCESS_VIEW_H_

#include <cstdint>
#include <string>
#include <tuple>

#include "reexec/json.h"
#include "tools/nsinspect/record_codec.h"

namespace gons::nsinspect {

// One line of /proc/self/uid_map or gid_map: `count` ids from `inside` in
// this user namespace are `outside` in its parent.
struct IdMapping {
  std::uint32_t inside = 0;
  std::uint32_t outside = 0;
  std::uint32_t count = 0;
};

// One line of /proc/self/cgroup, with the path as the cgroup namespace
// shows it ("/" is the namespace's root).
struct CgroupMembership {
  int hierarchy = 0;
  std::string controllers;  // Empty for the cgroup v2 hierarchy.
  std::string path;
};

// One line of /proc/PID/timens_offsets: how far a clock of the time
// namespace is ahead of the host's.
struct ClockOffset {
  std::string clock;  // "monotonic" or "boottime".
  std::int64_t seconds = 0;
  std::int64_t nanoseconds = 0;
};

// The JSON names of each struct's members, for RecordCodec (see
// record_codec.h). Thread-safe.
inline auto JsonFields(const IdMapping*) {
  return std::make_tuple(JsonField("inside", &IdMapping::inside),
                         JsonField("outside", &IdMapping::outside),
                         JsonField("count", &IdMapping::count));
}

inline auto JsonFields(const CgroupMembership*) {
  return std::make_tuple(
      JsonField("hierarchy", &CgroupMembership::hierarchy),
      JsonField("controllers", &CgroupMembership::controllers),
      JsonField("path", &CgroupMembership::path));
}

inline auto JsonFields(const ClockOffset*) {
  return std::make_tuple(JsonField("clock", &ClockOffset::clock),
                         JsonField("seconds", &ClockOffset::seconds),
                         JsonField("nanoseconds", &ClockOffset::nanoseconds));
}

}  // namespace gons::nsinspect

namespace gons::reexec {

template <>
struct JsonCodec<nsinspect::IdMapping>
    : nsinspect::RecordCodec<nsinspect::IdMapping> {};
template <>
struct JsonCodec<nsinspect::CgroupMembership>
    : nsinspect::RecordCodec<nsinspect::CgroupMembership> {};
template <>
struct JsonCodec<nsinspect::ClockOffset>
    : nsinspect::RecordCodec<nsinspect::ClockOffset> {};

}  // namespace gons::reexec

#endif  // GONS_TOOLS_NSINSPECT_PROCESS_VIEW_H_
