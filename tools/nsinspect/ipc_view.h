// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: ipc_view.h
// -----------------------------------------------------------------------------
//
// The IPC objects of an IPC namespace as nsinspect reports them, with
// their JsonCodecs.
//
// Example:
//
//   IpcObject segment{.kind = "shm", .key = "0x0000abcd"};
//   std::string json = gons::reexec::EncodeJson(segment);

#ifndef GONS_TOOLS_NSINSPECT_IPC_VIEW_H_
#define GONS_TOOLS_NSINSPECT_IPC_VIEW_H_

#include <cstdint>
#include <string>
#include <tuple>

#include "reexec/json.h"
#include "tools/nsinspect/record_codec.h"

namespace gons::nsinspect {

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

// The JSON names of each struct's members, for RecordCodec (see
// record_codec.h). Thread-safe.
inline auto JsonFields(const IpcObject*) {
  return std::make_tuple(JsonField("kind", &IpcObject::kind),
                         JsonField("key", &IpcObject::key),
                         JsonField("id", &IpcObject::id),
                         JsonField("permissions", &IpcObject::permissions),
                         JsonField("owner_uid", &IpcObject::owner_uid),
                         JsonField("size", &IpcObject::size));
}

}  // namespace gons::nsinspect

namespace gons::reexec {

template <>
struct JsonCodec<nsinspect::IpcObject>
    : nsinspect::RecordCodec<nsinspect::IpcObject> {};

}  // namespace gons::reexec

#endif  // GONS_TOOLS_NSINSPECT_IPC_VIEW_H_
