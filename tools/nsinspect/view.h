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
//
// Example:
//
//   NamespaceView view = CollectView();  // See collect.h.
//   std::string json = gons::reexec::EncodeJson(view);

#ifndef GONS_TOOLS_NSINSPECT_VIEW_H_
#define GONS_TOOLS_NSINSPECT_VIEW_H_

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "reexec/json.h"
#include "tools/nsinspect/record_codec.h"

namespace gons::nsinspect {

// The UTS namespace's names (uname(2)).
struct UtsNames {
  std::string host_name;
  std::string domain_name;
};

// One address of an interface.
struct InterfaceAddress {
  std::string family;  // "inet" or "inet6".
  std::string address;
  int prefix_length = 0;
  // An IPv4 address's label (`ip addr add ... label gons0:a`) when it is
  // not the interface's name; empty otherwise.
  std::string label;
};

// One network interface of the net namespace.
struct NetworkInterface {
  std::string name;
  int index = 0;
  bool up = false;                 // Administratively up (IFF_UP).
  bool carrier = false;            // The link layer is up (IFF_LOWER_UP).
  std::vector<std::string> flags;  // "UP", "LOOPBACK", "LOWER_UP", ...
  int mtu = 0;
  std::string hardware_address;  // "aa:bb:..."; empty when it has none.
  std::vector<InterfaceAddress> addresses;
};

// One line of /proc/self/mountinfo.
struct Mount {
  int id = 0;
  int parent_id = 0;
  std::string root;  // The mounted file system's directory shown here.
  std::string mount_point;
  std::string type;
  std::string source;
  std::string options;  // Per-mount options, such as "rw,nosuid".
};

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

// One System V IPC object of the IPC namespace (/proc/sysvipc/*).
struct IpcObject {
  std::string kind;  // "shm", "msg" or "sem".
  // The key as ipcs(1) and lsipc(1) print it, "0x0000abcd", in the table
  // and in JSON alike (/proc/sysvipc writes it as a signed decimal).
  std::string key;
  std::int64_t id = 0;
  std::string permissions;  // Octal, as in ipcs: "644".
  std::uint32_t owner_uid = 0;
  // Bytes of a shared memory segment, bytes queued in a message queue, or
  // semaphores in a set.
  std::uint64_t size = 0;
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

inline auto JsonFields(const InterfaceAddress*) {
  return std::make_tuple(
      JsonField("family", &InterfaceAddress::family),
      JsonField("address", &InterfaceAddress::address),
      JsonField("prefix_length", &InterfaceAddress::prefix_length),
      JsonField("label", &InterfaceAddress::label));
}

inline auto JsonFields(const NetworkInterface*) {
  using I = NetworkInterface;
  return std::make_tuple(
      JsonField("name", &I::name), JsonField("index", &I::index),
      JsonField("up", &I::up), JsonField("carrier", &I::carrier),
      JsonField("flags", &I::flags), JsonField("mtu", &I::mtu),
      JsonField("hardware_address", &I::hardware_address),
      JsonField("addresses", &I::addresses));
}

inline auto JsonFields(const Mount*) {
  return std::make_tuple(
      JsonField("id", &Mount::id), JsonField("parent_id", &Mount::parent_id),
      JsonField("root", &Mount::root),
      JsonField("mount_point", &Mount::mount_point),
      JsonField("type", &Mount::type), JsonField("source", &Mount::source),
      JsonField("options", &Mount::options));
}

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

inline auto JsonFields(const IpcObject*) {
  return std::make_tuple(JsonField("kind", &IpcObject::kind),
                         JsonField("key", &IpcObject::key),
                         JsonField("id", &IpcObject::id),
                         JsonField("permissions", &IpcObject::permissions),
                         JsonField("owner_uid", &IpcObject::owner_uid),
                         JsonField("size", &IpcObject::size));
}

inline auto JsonFields(const ClockOffset*) {
  return std::make_tuple(JsonField("clock", &ClockOffset::clock),
                         JsonField("seconds", &ClockOffset::seconds),
                         JsonField("nanoseconds", &ClockOffset::nanoseconds));
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
      JsonField("time_offsets", &V::time_offsets),
      JsonField("sources", &V::sources), JsonField("errors", &V::errors));
}

}  // namespace gons::nsinspect

namespace gons::reexec {

template <>
struct JsonCodec<nsinspect::UtsNames>
    : nsinspect::RecordCodec<nsinspect::UtsNames> {};
template <>
struct JsonCodec<nsinspect::InterfaceAddress>
    : nsinspect::RecordCodec<nsinspect::InterfaceAddress> {};
template <>
struct JsonCodec<nsinspect::NetworkInterface>
    : nsinspect::RecordCodec<nsinspect::NetworkInterface> {};
template <>
struct JsonCodec<nsinspect::Mount> : nsinspect::RecordCodec<nsinspect::Mount> {
};
template <>
struct JsonCodec<nsinspect::IdMapping>
    : nsinspect::RecordCodec<nsinspect::IdMapping> {};
template <>
struct JsonCodec<nsinspect::CgroupMembership>
    : nsinspect::RecordCodec<nsinspect::CgroupMembership> {};
template <>
struct JsonCodec<nsinspect::IpcObject>
    : nsinspect::RecordCodec<nsinspect::IpcObject> {};
template <>
struct JsonCodec<nsinspect::ClockOffset>
    : nsinspect::RecordCodec<nsinspect::ClockOffset> {};
template <>
struct JsonCodec<nsinspect::NamespaceView>
    : nsinspect::RecordCodec<nsinspect::NamespaceView> {};

}  // namespace gons::reexec

#endif  // GONS_TOOLS_NSINSPECT_VIEW_H_
