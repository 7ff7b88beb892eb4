// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/netlink_interfaces.h"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gons::nsinspect {
namespace {

// From <linux/if.h>, which cannot be included together with <net/if.h>.
constexpr unsigned kInterfaceLowerUp = 1u << 16;
constexpr unsigned kInterfaceDormant = 1u << 17;

std::vector<std::string> FlagNames(unsigned flags) {
  static const std::pair<unsigned, const char*> kNames[] = {
      {IFF_UP, "UP"},
      {IFF_BROADCAST, "BROADCAST"},
      {IFF_LOOPBACK, "LOOPBACK"},
      {IFF_POINTOPOINT, "POINTOPOINT"},
      {IFF_RUNNING, "RUNNING"},
      {IFF_NOARP, "NOARP"},
      {IFF_PROMISC, "PROMISC"},
      {IFF_ALLMULTI, "ALLMULTI"},
      {IFF_MULTICAST, "MULTICAST"},
      {kInterfaceLowerUp, "LOWER_UP"},
      {kInterfaceDormant, "DORMANT"},
  };
  std::vector<std::string> names;
  for (const auto& [flag, name] : kNames) {
    if ((flags & flag) != 0) names.push_back(name);
  }
  return names;
}

// A string attribute: NUL-terminated by the kernel, but bounded by the
// attribute's length in case it is not.
std::string AttributeString(const rtattr* attribute) {
  const char* data = static_cast<const char*>(RTA_DATA(attribute));
  const std::size_t size = RTA_PAYLOAD(attribute);
  return std::string(data, strnlen(data, size));
}

std::string HardwareAddress(const rtattr* attribute) {
  const auto* bytes = static_cast<const unsigned char*>(RTA_DATA(attribute));
  std::string text;
  for (std::size_t i = 0; i < RTA_PAYLOAD(attribute) && i < 32; ++i) {
    absl::StrAppendFormat(&text, "%s%02x", i == 0 ? "" : ":", bytes[i]);
  }
  return text;
}

class RouteSocket {
 public:
  RouteSocket()
      : fd_(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) {}
  ~RouteSocket() {
    if (fd_ >= 0) close(fd_);
  }
  RouteSocket(const RouteSocket&) = delete;
  RouteSocket& operator=(const RouteSocket&) = delete;

  int fd() const { return fd_; }

  // Sends a dump request of `type` and calls `handle` with each answer
  // message until the kernel says it is done, or `handle` fails.
  absl::Status Dump(
      std::uint16_t type,
      const std::function<absl::Status(const nlmsghdr&)>& handle) {
    struct {
      nlmsghdr header;
      rtgenmsg body;
    } request = {};
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = type;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.header.nlmsg_seq = ++sequence_;
    request.body.rtgen_family = AF_UNSPEC;
    sockaddr_nl kernel = {};
    kernel.nl_family = AF_NETLINK;
    if (sendto(fd_, &request, sizeof request, 0,
               reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel) < 0) {
      return absl::ErrnoToStatus(errno, "netlink sendto");
    }
    alignas(nlmsghdr) char buffer[32768];
    for (;;) {
      sockaddr_nl from = {};
      socklen_t from_size = sizeof from;
      const ssize_t got =
          recvfrom(fd_, buffer, sizeof buffer, 0,
                   reinterpret_cast<sockaddr*>(&from), &from_size);
      if (got < 0) {
        if (errno == EINTR) continue;
        return absl::ErrnoToStatus(errno, "netlink recvfrom");
      }
      if (from.nl_pid != 0) continue;  // Only the kernel answers.
      int left = static_cast<int>(got);
      for (auto* message = reinterpret_cast<const nlmsghdr*>(buffer);
           NLMSG_OK(message, left); message = NLMSG_NEXT(message, left)) {
        if (message->nlmsg_seq != sequence_) continue;
        if (message->nlmsg_type == NLMSG_DONE) return absl::OkStatus();
        if (message->nlmsg_type == NLMSG_ERROR) {
          const auto* error = static_cast<const nlmsgerr*>(NLMSG_DATA(message));
          if (message->nlmsg_len < NLMSG_LENGTH(sizeof *error)) {
            return absl::DataLossError("short netlink error message");
          }
          return absl::ErrnoToStatus(-error->error, "netlink dump");
        }
        if (absl::Status handled = handle(*message); !handled.ok()) {
          return handled;
        }
      }
    }
  }

 private:
  int fd_;
  std::uint32_t sequence_ = 0;
};

void AddLink(const nlmsghdr& message,
             std::map<int, NetworkInterface>& by_index) {
  if (message.nlmsg_type != RTM_NEWLINK ||
      message.nlmsg_len < NLMSG_LENGTH(sizeof(ifinfomsg))) {
    return;
  }
  const auto* info = static_cast<const ifinfomsg*>(NLMSG_DATA(&message));
  NetworkInterface& interface = by_index[info->ifi_index];
  interface.index = info->ifi_index;
  interface.up = (info->ifi_flags & IFF_UP) != 0;
  interface.carrier = (info->ifi_flags & kInterfaceLowerUp) != 0;
  interface.flags = FlagNames(info->ifi_flags);
  int left = static_cast<int>(IFLA_PAYLOAD(&message));
  for (const rtattr* attribute = IFLA_RTA(info); RTA_OK(attribute, left);
       attribute = RTA_NEXT(attribute, left)) {
    if (attribute->rta_type == IFLA_IFNAME) {
      interface.name = AttributeString(attribute);
    } else if (attribute->rta_type == IFLA_MTU &&
               RTA_PAYLOAD(attribute) >= sizeof(std::uint32_t)) {
      std::uint32_t mtu;
      std::memcpy(&mtu, RTA_DATA(attribute), sizeof mtu);
      interface.mtu = static_cast<int>(mtu);
    } else if (attribute->rta_type == IFLA_ADDRESS) {
      interface.hardware_address = HardwareAddress(attribute);
    }
  }
}

void AddAddress(const nlmsghdr& message,
                std::map<int, NetworkInterface>& by_index) {
  if (message.nlmsg_type != RTM_NEWADDR ||
      message.nlmsg_len < NLMSG_LENGTH(sizeof(ifaddrmsg))) {
    return;
  }
  const auto* info = static_cast<const ifaddrmsg*>(NLMSG_DATA(&message));
  const std::size_t size = info->ifa_family == AF_INET    ? 4
                           : info->ifa_family == AF_INET6 ? 16
                                                          : 0;
  if (size == 0) return;
  const auto found = by_index.find(static_cast<int>(info->ifa_index));
  if (found == by_index.end()) return;
  InterfaceAddress address;
  address.family = info->ifa_family == AF_INET ? "inet" : "inet6";
  address.prefix_length = info->ifa_prefixlen;
  // IFA_LOCAL is the address itself; IFA_ADDRESS is the peer on a
  // point-to-point link, and the address itself otherwise.
  std::string local;
  std::string peer_or_local;
  int left = static_cast<int>(IFA_PAYLOAD(&message));
  for (const rtattr* attribute = IFA_RTA(info); RTA_OK(attribute, left);
       attribute = RTA_NEXT(attribute, left)) {
    char text[INET6_ADDRSTRLEN] = {};
    const bool is_address =
        attribute->rta_type == IFA_LOCAL || attribute->rta_type == IFA_ADDRESS;
    if (is_address && RTA_PAYLOAD(attribute) >= size &&
        inet_ntop(info->ifa_family, RTA_DATA(attribute), text, sizeof text) !=
            nullptr) {
      (attribute->rta_type == IFA_LOCAL ? local : peer_or_local) = text;
    } else if (attribute->rta_type == IFA_LABEL) {
      address.label = AttributeString(attribute);
    }
  }
  address.address = local.empty() ? peer_or_local : local;
  if (address.address.empty()) return;
  if (address.label == found->second.name) address.label.clear();
  found->second.addresses.push_back(std::move(address));
}

}  // namespace

absl::StatusOr<std::vector<NetworkInterface>> CollectInterfaces() {
  // A netlink socket talks to the net namespace of the thread that made it,
  // unlike /sys/class/net, which shows the namespace that mounted /sys.
  RouteSocket route;
  if (route.fd() < 0) return absl::ErrnoToStatus(errno, "netlink socket");
  // The namespace's owner decides how many there are: bounded, as a
  // worker thread cannot be stopped by a timeout as a child can.
  std::map<int, NetworkInterface> by_index;
  if (absl::Status links = route.Dump(
          RTM_GETLINK,
          [&by_index](const nlmsghdr& message) {
            AddLink(message, by_index);
            return by_index.size() <= kMaxInterfaces
                       ? absl::OkStatus()
                       : absl::ResourceExhaustedError(absl::StrCat(
                             "more than ", kMaxInterfaces, " interfaces"));
          });
      !links.ok()) {
    return links;
  }
  std::size_t addresses_seen = 0;
  if (absl::Status addresses = route.Dump(
          RTM_GETADDR,
          [&by_index, &addresses_seen](const nlmsghdr& message) {
            AddAddress(message, by_index);
            return ++addresses_seen <= kMaxAddresses
                       ? absl::OkStatus()
                       : absl::ResourceExhaustedError(absl::StrCat(
                             "more than ", kMaxAddresses, " addresses"));
          });
      !addresses.ok()) {
    return addresses;
  }
  std::vector<NetworkInterface> interfaces;
  interfaces.reserve(by_index.size());
  for (auto& [index, interface] : by_index) {
    interfaces.push_back(std::move(interface));
  }
  return interfaces;
}

}  // namespace gons::nsinspect
