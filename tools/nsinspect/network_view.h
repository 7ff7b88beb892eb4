// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: network_view.h
// -----------------------------------------------------------------------------
//
// A net namespace's interfaces and their addresses, as nsinspect reports
// them (read over rtnetlink by netlink_interfaces.h), with their JsonCodecs.
//
// Example:
//
//   NetworkInterface lo{.name = "lo", .index = 1};
//   std::string json = gons::reexec::EncodeJson(lo);

#ifndef GONS_TOOLS_NSINSPECT_NETWORK_VIEW_H_
#define GONS_TOOLS_NSINSPECT_NETWORK_VIEW_H_

#include <string>
#include <tuple>
#include <vector>

#include "reexec/json.h"
#include "tools/nsinspect/record_codec.h"

namespace gons::nsinspect {

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

// The JSON names of each struct's members, for RecordCodec (see
// record_codec.h). Thread-safe.
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

}  // namespace gons::nsinspect

namespace gons::reexec {

template <>
struct JsonCodec<nsinspect::InterfaceAddress>
    : nsinspect::RecordCodec<nsinspect::InterfaceAddress> {};
template <>
struct JsonCodec<nsinspect::NetworkInterface>
    : nsinspect::RecordCodec<nsinspect::NetworkInterface> {};

}  // namespace gons::reexec

#endif  // GONS_TOOLS_NSINSPECT_NETWORK_VIEW_H_
