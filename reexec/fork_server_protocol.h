// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: fork_server_protocol.h
// -----------------------------------------------------------------------------
//
// The messages between a program and its fork server's helper (see
// fork_server.h), and the descriptor passing they use.
//
// The helper is started with gons_reexec_fork_server=FD:PID: FD is its end
// of the control socket (a SOCK_STREAM socketpair; above descriptors 3 and
// 4, which are a child's coverage directory and failure channel), PID the
// program's process, which it watches through a pidfd. It first sends a
// Reply of kind kHello. Then each request is a RequestHeader followed by
// `body_size` bytes of body, with SCM_RIGHTS on the header's first byte
// carrying, in this order: the helper's end of the request's reply channel
// (a SOCK_SEQPACKET socketpair), the copy's stdin, stdout and stderr, its
// descriptor 3 when kPassedDescriptor is set, its descriptor 4 (the write
// end of the failure channel: failure_channel.h) when kFailureChannel is
// set, then the namespace descriptors the program opened. The body is a
// RequestBody followed by `entry_count` NUL-terminated environment entries (the
// copy's whole environment, gons_* variables included). On the reply channel
// the helper sends kStarted (with the copy's pidfd) or kStartFailed, then
// kEnded; the program may send kKill. After kStarted the helper forwards
// the request to the copy on the copy's own request channel (a SOCK_STREAM
// socketpair): the same header, with `descriptor_count` one less, the same
// body, and the same descriptors but the reply channel, which no copy ever
// holds.
//
// Example:
//
//   Reply hello;
//   if (ReceiveReply(control, &hello, nullptr) && hello.kind == kHello) {...}
//
// Internal to reexec.

#ifndef GONS_REEXEC_FORK_SERVER_PROTOCOL_H_
#define GONS_REEXEC_FORK_SERVER_PROTOCOL_H_

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gons/namespace_types.h"
#include "reexec/descriptor.h"

namespace gons::reexec::internal {

// Set in the helper's environment only: "FD:PID" (see above).
inline constexpr char kForkServerVariable[] = "gons_reexec_fork_server";

inline constexpr std::uint32_t kRequestMagic = 0x676f6e73;  // "gons"
// Bounds that the helper checks before it allocates or forks.
inline constexpr std::uint32_t kMaxBodySize = 64u << 20;
inline constexpr std::uint32_t kMaxDescriptors = 6 + kNumNamespaceTypes;
inline constexpr std::uint32_t kPassedDescriptor = 1u << 0;
inline constexpr std::uint32_t kFailureChannel = 1u << 1;
inline constexpr std::uint32_t kKnownFlags =
    kPassedDescriptor | kFailureChannel;

// Returns how many descriptors come before the namespace descriptors in a
// request with `flags`: the reply channel, stdin, stdout, stderr, and one
// for each of kPassedDescriptor and kFailureChannel set.
constexpr std::size_t FixedDescriptorCount(std::uint32_t flags) {
  return 4 + ((flags & kPassedDescriptor) != 0 ? 1 : 0) +
         ((flags & kFailureChannel) != 0 ? 1 : 0);
}

struct RequestHeader {
  std::uint32_t magic;
  std::uint32_t body_size;
  std::uint32_t descriptor_count;
  std::uint32_t flags;
};

// Where the copy gets the descriptor of each namespace type's path.
inline constexpr std::int32_t kCopyOpensPath = 0;
struct RequestBody {
  // kCopyOpensPath: the copy opens the path itself (it resolves after the
  // mount switch); N > 0: namespace descriptor N - 1 of the request; -E:
  // the program's open() failed with errno E, which the copy reports as
  // its own.
  std::int32_t namespace_source[kNumNamespaceTypes];
  std::uint32_t entry_count;
};

enum ReplyKind : std::uint32_t {
  kHello = 1,        // code 0: ready; else the helper's thread count.
  kStarted = 2,      // pid; the copy's pidfd attached.
  kStartFailed = 3,  // code: the errno of fork() or pidfd_open().
  kEnded = 4,        // code: si_code; status: si_status.
  kKill = 5,         // Program to helper: kill the copy's group.
};

struct Reply {
  std::uint32_t kind;
  std::int32_t pid;
  std::int32_t code;
  std::int32_t status;
};

// One request as received.
struct Request {
  RequestHeader header;
  std::string body;
  std::vector<Descriptor> fds;  // In the order of the header's comment.
};

// Receives one request on `socket`: as the program sends it (`forwarded`
// false: the reply channel first) or as the helper forwards it to a copy
// (true: without it), checked against the bounds above before its body is
// read. Returns false at end of file, on error, or when it is malformed
// (the stream cannot be trusted after that).
bool ReceiveRequest(int socket, bool forwarded, Request* request);

// Forwards `request`, received with `forwarded` false, to a copy's request
// channel: the same header and body, and its descriptors but the first.
// Returns 0 or the errno that stopped it.
int ForwardRequest(int socket, const Request& request);

// Sends `size` bytes with `fds` attached (SCM_RIGHTS, none when empty),
// all of them, with MSG_NOSIGNAL. Returns 0 or the errno that stopped it.
int SendWithDescriptors(int socket, const void* data, std::size_t size,
                        const std::vector<int>& fds);

// Receives up to `size` bytes in one recvmsg (MSG_CMSG_CLOEXEC), appending
// the descriptors that came with them to `fds` (owned by the caller; may be
// null when none are expected, and any that come are closed). Returns the
// byte count, 0 at end of file, or -errno (-EPROTO when descriptors were
// truncated).
long ReceiveWithDescriptors(int socket, void* data, std::size_t size,
                            std::vector<Descriptor>* fds, int flags = 0);

// Sends one Reply (with `fd` attached when >= 0); returns 0 or an errno.
int SendReply(int socket, const Reply& reply, int fd = -1);

// Receives one whole Reply (and the descriptor attached, if any, into
// `*fd`). Returns false at end of file, on error or on a short message.
bool ReceiveReply(int socket, Reply* reply, Descriptor* fd, int flags = 0);

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_FORK_SERVER_PROTOCOL_H_
