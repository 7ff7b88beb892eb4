// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/fork_server_protocol.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace gons::reexec::internal {

int SendWithDescriptors(int socket, const void* data, std::size_t size,
                        const std::vector<int>& fds) {
  const char* bytes = static_cast<const char*>(data);
  std::vector<char> control(CMSG_SPACE(sizeof(int) * fds.size()));
  bool first = true;
  while (size > 0) {
    iovec vector = {const_cast<char*>(bytes), size};
    msghdr message = {};
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    if (first && !fds.empty()) {
      message.msg_control = control.data();
      message.msg_controllen = control.size();
      cmsghdr* header = CMSG_FIRSTHDR(&message);
      header->cmsg_level = SOL_SOCKET;
      header->cmsg_type = SCM_RIGHTS;
      header->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
      std::memcpy(CMSG_DATA(header), fds.data(), sizeof(int) * fds.size());
    }
    const ssize_t sent = sendmsg(socket, &message, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    // The descriptors travel with the first bytes sent.
    first = false;
    bytes += sent;
    size -= static_cast<std::size_t>(sent);
  }
  return 0;
}

long ReceiveWithDescriptors(int socket, void* data, std::size_t size,
                            std::vector<Descriptor>* fds, int flags) {
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxDescriptors)];
  iovec vector = {data, size};
  msghdr message = {};
  message.msg_iov = &vector;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof(control);
  ssize_t got;
  do {
    got = recvmsg(socket, &message, MSG_CMSG_CLOEXEC | flags);
  } while (got < 0 && errno == EINTR);
  if (got < 0) return -errno;
  std::vector<Descriptor> received;
  for (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr;
       header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) {
      continue;
    }
    const std::size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(header) + i * sizeof(int), sizeof(int));
      received.emplace_back(fd);
    }
  }
  if ((message.msg_flags & MSG_CTRUNC) != 0) return -EPROTO;
  if (fds != nullptr) {
    for (Descriptor& fd : received) fds->push_back(std::move(fd));
  }
  return got;
}

namespace {

bool ReadFully(int fd, char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t got = read(fd, data, size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    data += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

}  // namespace

bool ReceiveRequest(int socket, bool forwarded, Request* request) {
  RequestHeader& header = request->header;
  header = {};
  request->fds.clear();
  const long got =
      ReceiveWithDescriptors(socket, &header, sizeof(header), &request->fds);
  if (got <= 0) return false;
  if (static_cast<std::size_t>(got) < sizeof(header) &&
      !ReadFully(socket, reinterpret_cast<char*>(&header) + got,
                 sizeof(header) - static_cast<std::size_t>(got))) {
    return false;
  }
  const std::size_t fixed =
      FixedDescriptorCount(header.flags) - (forwarded ? 1 : 0);
  const std::size_t count = request->fds.size();
  if (header.magic != kRequestMagic || header.body_size > kMaxBodySize ||
      header.body_size < sizeof(RequestBody) ||
      (header.flags & ~kKnownFlags) != 0 || header.descriptor_count != count ||
      count < fixed || count > fixed + kNumNamespaceTypes) {
    return false;
  }
  request->body.assign(header.body_size, '\0');
  return ReadFully(socket, request->body.data(), request->body.size());
}

int ForwardRequest(int socket, const Request& request) {
  RequestHeader header = request.header;
  header.descriptor_count -= 1;
  std::string message(reinterpret_cast<const char*>(&header), sizeof(header));
  message.append(request.body);
  std::vector<int> fds;
  for (std::size_t i = 1; i < request.fds.size(); ++i) {
    fds.push_back(request.fds[i].get());
  }
  return SendWithDescriptors(socket, message.data(), message.size(), fds);
}

int SendReply(int socket, const Reply& reply, int fd) {
  std::vector<int> fds;
  if (fd >= 0) fds.push_back(fd);
  return SendWithDescriptors(socket, &reply, sizeof(reply), fds);
}

bool ReceiveReply(int socket, Reply* reply, Descriptor* fd, int flags) {
  std::vector<Descriptor> fds;
  const long got = ReceiveWithDescriptors(
      socket, reply, sizeof(*reply), fd != nullptr ? &fds : nullptr, flags);
  if (got != static_cast<long>(sizeof(*reply))) return false;
  if (fd != nullptr && !fds.empty()) *fd = std::move(fds.front());
  return true;
}

}  // namespace gons::reexec::internal
