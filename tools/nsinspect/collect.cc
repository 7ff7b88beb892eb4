// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/collect.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <bitset>
#include <cerrno>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "gons/namespace_types.h"
#include "tools/nsinspect/proc_parsers.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {
namespace {

// From <linux/if.h>, which cannot be included together with <net/if.h>.
constexpr unsigned kInterfaceLowerUp = 1u << 16;
constexpr unsigned kInterfaceDormant = 1u << 17;

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::ErrnoToStatus(errno, path);
  std::string text;
  char buffer[16384];
  for (;;) {
    const ssize_t got = read(fd, buffer, sizeof(buffer));
    if (got > 0) {
      text.append(buffer, static_cast<std::size_t>(got));
    } else if (got == 0) {
      break;
    } else if (errno != EINTR) {
      const int error = errno;
      close(fd);
      return absl::ErrnoToStatus(error, path);
    }
  }
  close(fd);
  return text;
}

// Reads and parses one /proc file into `out`, or records why it could not.
template <typename T, typename Parser>
void ReadPart(const std::string& part, const std::string& path, Parser parse,
              T* out, std::map<std::string, std::string>* errors) {
  absl::StatusOr<std::string> text = ReadFile(path);
  absl::StatusOr<T> parsed =
      text.ok() ? parse(*text) : absl::StatusOr<T>(text.status());
  if (parsed.ok()) {
    *out = *std::move(parsed);
    return;
  }
  std::string error(parsed.status().message());
  // After a mount namespace switch, /proc may be the container's, mounted
  // for a PID namespace this process is not in: there /proc/self is absent.
  if (absl::IsNotFound(parsed.status()) && access("/proc/self", F_OK) != 0 &&
      access("/proc/1", F_OK) == 0) {
    absl::StrAppend(&error,
                    " (this /proc is another PID namespace's; inspecting by "
                    "--pid enters that one too)");
  }
  std::string& entry = (*errors)[part];
  absl::StrAppend(&entry, entry.empty() ? "" : "; ", error);
}

std::map<std::string, std::uint64_t> NamespaceIds() {
  std::map<std::string, std::uint64_t> ids;
  for (const NamespaceType& type : kNamespaceTypes) {
    struct stat info;
    const std::string path = absl::StrCat("/proc/self/ns/", type.name);
    if (stat(path.c_str(), &info) == 0) ids[type.name] = info.st_ino;
  }
  return ids;
}

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

std::string HardwareAddress(const sockaddr_ll& link) {
  std::string text;
  for (int i = 0; i < link.sll_halen && i < 8; ++i) {
    absl::StrAppendFormat(&text, "%s%02x", i == 0 ? "" : ":", link.sll_addr[i]);
  }
  return text;
}

// The number of leading one bits of a netmask.
int PrefixLength(const unsigned char* mask, std::size_t bytes) {
  int length = 0;
  for (std::size_t i = 0; i < bytes; ++i) {
    length += static_cast<int>(std::bitset<8>(mask[i]).count());
  }
  return length;
}

std::optional<InterfaceAddress> Address(const ifaddrs& entry) {
  char text[INET6_ADDRSTRLEN] = {};
  InterfaceAddress address;
  if (entry.ifa_addr->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(entry.ifa_addr);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
    address.family = "inet";
    if (entry.ifa_netmask != nullptr) {
      const auto* mask =
          reinterpret_cast<const sockaddr_in*>(entry.ifa_netmask);
      address.prefix_length = PrefixLength(
          reinterpret_cast<const unsigned char*>(&mask->sin_addr), 4);
    }
  } else if (entry.ifa_addr->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(entry.ifa_addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
    address.family = "inet6";
    if (entry.ifa_netmask != nullptr) {
      const auto* mask =
          reinterpret_cast<const sockaddr_in6*>(entry.ifa_netmask);
      address.prefix_length = PrefixLength(mask->sin6_addr.s6_addr, 16);
    }
  } else {
    return std::nullopt;
  }
  address.address = text;
  return address;
}

int Mtu(int socket_fd, const std::string& name) {
  ifreq request = {};
  name.copy(request.ifr_name, IFNAMSIZ - 1);
  if (socket_fd < 0 || ioctl(socket_fd, SIOCGIFMTU, &request) != 0) return 0;
  return request.ifr_mtu;
}

}  // namespace

absl::StatusOr<std::vector<NetworkInterface>> CollectInterfaces() {
  ifaddrs* list = nullptr;
  // getifaddrs asks the calling thread's net namespace over netlink, unlike
  // /sys/class/net, which shows the namespace that mounted /sys.
  if (getifaddrs(&list) != 0) {
    return absl::ErrnoToStatus(errno, "getifaddrs");
  }
  std::map<std::string, NetworkInterface> by_name;
  for (const ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
    NetworkInterface& interface = by_name[entry->ifa_name];
    interface.name = entry->ifa_name;
    interface.up = (entry->ifa_flags & IFF_UP) != 0;
    interface.carrier = (entry->ifa_flags & kInterfaceLowerUp) != 0;
    interface.flags = FlagNames(entry->ifa_flags);
    if (entry->ifa_addr == nullptr) continue;
    if (entry->ifa_addr->sa_family == AF_PACKET) {
      const auto* link = reinterpret_cast<const sockaddr_ll*>(entry->ifa_addr);
      interface.index = link->sll_ifindex;
      interface.hardware_address = HardwareAddress(*link);
    } else if (std::optional<InterfaceAddress> address = Address(*entry)) {
      interface.addresses.push_back(*std::move(address));
    }
  }
  freeifaddrs(list);

  const int socket_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  std::vector<NetworkInterface> interfaces;
  for (auto& [name, interface] : by_name) {
    if (interface.index == 0) {
      interface.index = static_cast<int>(if_nametoindex(name.c_str()));
    }
    interface.mtu = Mtu(socket_fd, name);
    interfaces.push_back(std::move(interface));
  }
  if (socket_fd >= 0) close(socket_fd);
  std::sort(interfaces.begin(), interfaces.end(),
            [](const NetworkInterface& a, const NetworkInterface& b) {
              return a.index < b.index;
            });
  return interfaces;
}

NamespaceView CollectView(const ViewRequest& request) {
  NamespaceView view;
  view.namespace_ids = NamespaceIds();
  if (view.namespace_ids.empty()) {
    view.errors["namespace_ids"] = "/proc/self/ns cannot be read";
  }

  struct utsname names;
  if (uname(&names) == 0) {
    view.uts.host_name = names.nodename;
    view.uts.domain_name = names.domainname;
  } else {
    view.errors["uts"] =
        std::string(absl::ErrnoToStatus(errno, "uname").message());
  }

  if (absl::StatusOr<std::vector<NetworkInterface>> interfaces =
          CollectInterfaces();
      interfaces.ok()) {
    view.interfaces = *std::move(interfaces);
  } else {
    view.errors["interfaces"] = std::string(interfaces.status().message());
  }

  ReadPart("mounts", "/proc/self/mountinfo", ParseMountInfo, &view.mounts,
           &view.errors);
  ReadPart("uid_map", "/proc/self/uid_map", ParseIdMap, &view.uid_map,
           &view.errors);
  ReadPart("gid_map", "/proc/self/gid_map", ParseIdMap, &view.gid_map,
           &view.errors);
  // Cgroup membership belongs to a process: the target's, read by this
  // child in the target's cgroup namespace, which is what makes the kernel
  // show the paths as the target sees them. The child's own membership
  // would be nsinspect's.
  const std::string target = absl::StrCat("/proc/", request.target_pid);
  struct stat cgroup_namespace;
  // nsinspect reads these from outside for a process target.
  view.errors["host_cgroups"] = "read for --pid targets only";
  if (request.target_pid <= 0) {
    view.errors["cgroups"] =
        "namespace files name no process; give --pid to see its cgroups";
  } else if (stat(absl::StrCat(target, "/ns/cgroup").c_str(),
                  &cgroup_namespace) != 0 ||
             cgroup_namespace.st_ino != request.target_cgroup_namespace) {
    view.errors["cgroups"] = absl::StrCat(
        "the target is not ", target,
        " in the /proc it sees (none mounted, or another PID namespace's)");
  } else {
    ReadPart("cgroups", absl::StrCat(target, "/cgroup"), ParseCgroups,
             &view.cgroups, &view.errors);
  }
  for (const char* kind : {"shm", "msg", "sem"}) {
    std::vector<IpcObject> objects;
    ReadPart(
        "ipc_objects", absl::StrCat("/proc/sysvipc/", kind),
        [kind](absl::string_view text) { return ParseSysvIpc(kind, text); },
        &objects, &view.errors);
    view.ipc_objects.insert(view.ipc_objects.end(), objects.begin(),
                            objects.end());
  }
  return view;
}

}  // namespace gons::nsinspect
