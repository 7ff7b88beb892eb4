// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Test helper: adds an IPv4 address to an interface with an IFA_LABEL that
// the test chooses, sending the RTM_NEWADDR request over rtnetlink itself.
// ip(8) refuses a label that does not start with the interface's name; the
// kernel does not, so a process with CAP_NET_ADMIN in a net namespace can
// label an address of one interface with the name of another. nsinspect's
// test makes one so, to check that such an address stays on its interface.
//
// argv: address_labeler INTERFACE ADDRESS/PREFIX LABEL
//   INTERFACE is an interface name of the helper's net namespace, ADDRESS
//   a dotted IPv4 address, PREFIX 0..32, LABEL at most 15 bytes.
// Exit status: 0 when the kernel acknowledged the request; 1, with the
// failed call or the kernel's error on stderr; 2 for a usage error.

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

// Appends attribute `type` with `size` bytes of `data` at `*offset`.
void AddAttribute(char* message, std::size_t* offset, unsigned short type,
                  const void* data, std::size_t size) {
  auto* attribute = reinterpret_cast<rtattr*>(message + *offset);
  attribute->rta_type = type;
  attribute->rta_len = static_cast<unsigned short>(RTA_LENGTH(size));
  std::memcpy(RTA_DATA(attribute), data, size);
  *offset += RTA_ALIGN(attribute->rta_len);
}

int Fail(const char* call) {
  std::fprintf(stderr, "%s: %s\n", call, std::strerror(errno));
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr,
                 "usage: address_labeler INTERFACE ADDRESS/PREFIX LABEL\n");
    return 2;
  }
  const unsigned index = if_nametoindex(argv[1]);
  if (index == 0) return Fail("if_nametoindex");
  const std::string address_and_prefix = argv[2];
  const std::size_t slash = address_and_prefix.find('/');
  in_addr address = {};
  if (slash == std::string::npos ||
      inet_pton(AF_INET, address_and_prefix.substr(0, slash).c_str(),
                &address) != 1) {
    return 2;
  }
  char* end = nullptr;
  const long prefix = std::strtol(argv[2] + slash + 1, &end, 10);
  const std::size_t label_size = std::strlen(argv[3]) + 1;
  if (*end != '\0' || prefix < 0 || prefix > 32 || label_size > IFNAMSIZ) {
    return 2;
  }

  alignas(nlmsghdr) char message[256] = {};
  auto* header = reinterpret_cast<nlmsghdr*>(message);
  header->nlmsg_type = RTM_NEWADDR;
  header->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
  header->nlmsg_seq = 1;
  auto* request = static_cast<ifaddrmsg*>(NLMSG_DATA(header));
  request->ifa_family = AF_INET;
  request->ifa_prefixlen = static_cast<unsigned char>(prefix);
  request->ifa_scope = RT_SCOPE_UNIVERSE;
  request->ifa_index = index;
  std::size_t offset = NLMSG_LENGTH(sizeof(ifaddrmsg));
  AddAttribute(message, &offset, IFA_LOCAL, &address, sizeof(address));
  AddAttribute(message, &offset, IFA_ADDRESS, &address, sizeof(address));
  AddAttribute(message, &offset, IFA_LABEL, argv[3], label_size);
  header->nlmsg_len = static_cast<unsigned>(offset);

  const int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return Fail("socket(AF_NETLINK)");
  sockaddr_nl kernel = {};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd, message, offset, 0, reinterpret_cast<sockaddr*>(&kernel),
             sizeof(kernel)) != static_cast<ssize_t>(offset)) {
    return Fail("sendto(RTM_NEWADDR)");
  }
  alignas(nlmsghdr) char reply[1024];
  const ssize_t got = recv(fd, reply, sizeof(reply), 0);
  if (got < 0) return Fail("recv");
  close(fd);
  const auto* answer = reinterpret_cast<const nlmsghdr*>(reply);
  if (got < static_cast<ssize_t>(NLMSG_LENGTH(sizeof(nlmsgerr))) ||
      answer->nlmsg_type != NLMSG_ERROR) {
    std::fprintf(stderr, "unexpected netlink reply\n");
    return 1;
  }
  const auto* error =
      static_cast<const nlmsgerr*>(NLMSG_DATA(const_cast<nlmsghdr*>(answer)));
  if (error->error != 0) {
    std::fprintf(stderr, "RTM_NEWADDR: %s\n", std::strerror(-error->error));
    return 1;
  }
  return 0;
}
