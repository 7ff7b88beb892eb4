// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: view.h
// -----------------------------------------------------------------------------
//
// What a process sees inside a set of namespaces, as plain structs: the
// result that nsinspect's re-executed child sends back as typed JSON
// (each struct has a JsonCodec), and what the table and JSON output show.
// The parts are declared by concept in network_view.h, mount_view.h,
// process_view.h and ipc_view.h.
//
// Example:
//
//   NamespaceView view = CollectView(request, Collector::kProcess);
//   std::string json = gons::reexec::EncodeJson(view);

#ifndef GONS_TOOLS_NSINSPECT_VIEW_H_
#define GONS_TOOLS_NSINSPECT_VIEW_H_

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "reexec/json.h"
#include "tools/nsinspect/ipc_view.h"
#include "tools/nsinspect/mount_view.h"
#include "tools/nsinspect/network_view.h"
#include "tools/nsinspect/process_view.h"
#include "tools/nsinspect/record_codec.h"

namespace gons::nsinspect {

// The UTS namespace's names (uname(2)).
struct UtsNames {
  std::string host_name;
  std::string domain_name;
};

// Everything nsinspect reports about one target.
struct NamespaceView {
  // Namespace type ("net", "mnt", ...) -> its inode number, which names it.
  std::map<std::string, std::uint64_t> namespace_ids;
  UtsNames uts;
  std::vector<NetworkInterface> interfaces;
  std::vector<Mount> mounts;
  std::vector<IdMapping> uid_map;
  std::vector<IdMapping> gid_map;
  // The target process's cgroups as it sees them (its cgroup namespace's
  // view), and as nsinspect's cgroup namespace sees them (host_cgroups).
  std::vector<CgroupMembership> cgroups;
  std::vector<CgroupMembership> host_cgroups;
  std::vector<IpcObject> ipc_objects;
  std::vector<PosixQueue> posix_queues;
  std::vector<ClockOffset> time_offsets;  // For --pid targets.
  // Where a part was read from when that is not the child's own view, by
  // the part's JSON name, such as {"mounts", "/proc/4711/mountinfo ..."}.
  std::map<std::string, std::string> sources;
  // Why a part could not be read, by the part's JSON name, such as
  // {"mounts", "/proc/self/mountinfo: No such file or directory"}.
  std::map<std::string, std::string> errors;
};

// The JSON names of each struct's members, for RecordCodec (see
// record_codec.h). Thread-safe.
inline auto JsonFields(const UtsNames*) {
  return std::make_tuple(JsonField("host_name", &UtsNames::host_name),
                         JsonField("domain_name", &UtsNames::domain_name));
}

inline auto JsonFields(const NamespaceView*) {
  using V = NamespaceView;
  return std::make_tuple(
      JsonField("namespace_ids", &V::namespace_ids), JsonField("uts", &V::uts),
      JsonField("interfaces", &V::interfaces), JsonField("mounts", &V::mounts),
      JsonField("uid_map", &V::uid_map), JsonField("gid_map", &V::gid_map),
      JsonField("cgroups", &V::cgroups),
      JsonField("host_cgroups", &V::host_cgroups),
      JsonField("ipc_objects", &V::ipc_objects),
      JsonField("posix_queues", &V::posix_queues),
      JsonField("time_offsets", &V::time_offsets),
      JsonField("sources", &V::sources), JsonField("errors", &V::errors));
}

}  // namespace gons::nsinspect

namespace gons::reexec {

template <>
struct JsonCodec<nsinspect::UtsNames>
    : nsinspect::RecordCodec<nsinspect::UtsNames> {};
template <>
struct JsonCodec<nsinspect::NamespaceView>
    : nsinspect::RecordCodec<nsinspect::NamespaceView> {};

}  // namespace gons::reexec

#endif  // GONS_TOOLS_NSINSPECT_VIEW_H_
