// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: ipc_view.h
// -----------------------------------------------------------------------------
//
// The IPC objects of an IPC namespace as nsinspect reports them, System V
// and POSIX message queues, with their JsonCodecs.
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

// One POSIX message queue of the IPC namespace (mq_overview(7)).
struct PosixQueue {
  std::string name;         // As mq_open(3) names it: "/gons-q".
  std::string permissions;  // Octal: "640".
  std::uint32_t owner_uid = 0;
  // From mq_getattr(3); -1 when the queue could not be opened to ask.
  std::int64_t max_messages = -1;
  std::int64_t message_size = -1;
  std::int64_t messages = -1;
  std::int64_t bytes = -1;  // QSIZE: bytes of the queued messages.
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

inline auto JsonFields(const PosixQueue*) {
  return std::make_tuple(JsonField("name", &PosixQueue::name),
                         JsonField("permissions", &PosixQueue::permissions),
                         JsonField("owner_uid", &PosixQueue::owner_uid),
                         JsonField("max_messages", &PosixQueue::max_messages),
                         JsonField("message_size", &PosixQueue::message_size),
                         JsonField("messages", &PosixQueue::messages),
                         JsonField("bytes", &PosixQueue::bytes));
}

}  // namespace gons::nsinspect

namespace gons::reexec {

template <>
struct JsonCodec<nsinspect::IpcObject>
    : nsinspect::RecordCodec<nsinspect::IpcObject> {};
template <>
struct JsonCodec<nsinspect::PosixQueue>
    : nsinspect::RecordCodec<nsinspect::PosixQueue> {};

}  // namespace gons::reexec

#endif  // GONS_TOOLS_NSINSPECT_IPC_VIEW_H_
