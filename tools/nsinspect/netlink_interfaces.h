// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: netlink_interfaces.h
// -----------------------------------------------------------------------------
//
// The network interfaces and addresses of the calling thread's net
// namespace, asked of the kernel over rtnetlink (RTM_GETLINK, RTM_GETADDR)
// and joined by interface index. getifaddrs(3) names an IPv4 address by its
// label (`ip addr add ... label gons0:a`), so keyed by name a label became a
// fake interface, and a label naming another interface moved the address
// there; here a label is only a label, shown on its address.
//
// Example:
//
//   absl::StatusOr<std::vector<NetworkInterface>> interfaces =
//       CollectInterfaces();

#ifndef GONS_TOOLS_NSINSPECT_NETLINK_INTERFACES_H_
#define GONS_TOOLS_NSINSPECT_NETLINK_INTERFACES_H_

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {

// The most interfaces, and address messages, read from one namespace.
inline constexpr std::size_t kMaxInterfaces = std::size_t{1} << 16;
inline constexpr std::size_t kMaxAddresses = std::size_t{1} << 18;

// Returns the interfaces in index order, each with its addresses. Fails
// with the errno's code when the netlink socket cannot be used, kDataLoss
// for a malformed answer, or kResourceExhausted when the namespace has more
// than kMaxInterfaces interfaces or kMaxAddresses addresses. Thread-safe.
absl::StatusOr<std::vector<NetworkInterface>> CollectInterfaces();

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_NETLINK_INTERFACES_H_
