// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: discovery.h
// -----------------------------------------------------------------------------
//
// Finds every namespace the caller can see on the host, as `nsinspect
// --list` shows them: those of every process in the caller's /proc (and of
// any thread whose namespaces differ from its process's, and the
// pid_for_children and time_for_children ones), those bind-mounted as nsfs
// files in every mount table it can read (one per mount namespace found,
// through a process in it), and those held only by an open descriptor.
// lsns(8) shows the first two kinds; a namespace kept alive by a descriptor
// alone is found here too.
//
// For each, the owning user namespace (NS_GET_USERNS) and, for user and PID
// namespaces, the parent (NS_GET_PARENT) are asked of the namespace file
// itself; the kernel refuses both for a namespace outside the caller's
// user namespace, and then they are 0.
//
// Processes that exit during the scan are skipped. The scan is bounded:
// kMaxProcesses processes, kMaxTasksPerProcess threads and
// kMaxDescriptorsPerProcess descriptors each; what a limit left out is said
// in `notes`.
//
// Example:
//
//   NamespaceList list = DiscoverNamespaces();
//   for (const ListedNamespace& ns : list.namespaces) {
//     std::cout << ns.type << " " << ns.inode << "\n";
//   }

#ifndef GONS_TOOLS_NSINSPECT_DISCOVERY_H_
#define GONS_TOOLS_NSINSPECT_DISCOVERY_H_

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "reexec/json.h"
#include "tools/nsinspect/record_codec.h"

namespace gons::nsinspect {

inline constexpr int kMaxProcesses = 1 << 16;
inline constexpr int kMaxTasksPerProcess = 1 << 12;
inline constexpr int kMaxDescriptorsPerProcess = 1 << 14;
// At most this many holders (threads, descriptors, bind mounts) are listed
// per namespace; `holders_left_out` counts the rest.
inline constexpr int kMaxHoldersListed = 16;

// One namespace found on the host.
struct ListedNamespace {
  std::string type;         // "net", "user", ... as in /proc/PID/ns.
  std::uint64_t inode = 0;  // Names it (lsns's NS column).
  // The inode of the user namespace that owns it; for a user namespace,
  // its parent. 0 when the kernel does not tell (it is outside the
  // caller's user namespace, or it is the initial user namespace).
  std::uint64_t owner_namespace = 0;
  // For user and PID namespaces, the parent's inode; 0 otherwise or when
  // the kernel does not tell.
  std::uint64_t parent_namespace = 0;
  // The uid (in the caller's user namespace) that made the owning user
  // namespace, or for a user namespace the one that made it; -1 unknown.
  std::int64_t owner_uid = -1;
  int processes = 0;   // Processes with it in any thread.
  int lowest_pid = 0;  // 0 when no process has it.
  // The lowest PID's command line (arguments joined by spaces; its name
  // in brackets when it has none, as for kernel threads). Untrusted.
  std::string command;
  // What else keeps it, such as "thread 4712 of process 4711",
  // "descriptor 5 of process 4711" or "bind mount /run/netns/blue in mnt
  // namespace 4026531841". Untrusted (mount points).
  std::vector<std::string> holders;
  int holders_left_out = 0;
  // A file through which nsinspect opens it: /proc/PID/ns/TYPE,
  // /proc/PID/fd/N or /proc/PID/root/MOUNT_POINT.
  std::string path;
};

// Every namespace found, sorted by inode, and what the scan left out.
struct NamespaceList {
  std::vector<ListedNamespace> namespaces;
  // Such as "12 processes could not be read (Permission denied)".
  std::vector<std::string> notes;
};

// Scans the host as described above. Never fails as a whole; what could
// not be read is said in `notes`. Thread-safe; it changes no state.
NamespaceList DiscoverNamespaces();

// Returns the namespace with inode `inode`, or null.
const ListedNamespace* FindListed(const NamespaceList& list,
                                  std::uint64_t inode);

// Returns the JSON names of the members, for RecordCodec. Thread-safe.
inline auto JsonFields(const ListedNamespace*) {
  using L = ListedNamespace;
  return std::make_tuple(
      JsonField("type", &L::type), JsonField("inode", &L::inode),
      JsonField("owner_namespace", &L::owner_namespace),
      JsonField("parent_namespace", &L::parent_namespace),
      JsonField("owner_uid", &L::owner_uid),
      JsonField("processes", &L::processes),
      JsonField("lowest_pid", &L::lowest_pid),
      JsonField("command", &L::command), JsonField("holders", &L::holders),
      JsonField("holders_left_out", &L::holders_left_out),
      JsonField("path", &L::path));
}

inline auto JsonFields(const NamespaceList*) {
  return std::make_tuple(JsonField("namespaces", &NamespaceList::namespaces),
                         JsonField("notes", &NamespaceList::notes));
}

}  // namespace gons::nsinspect

namespace gons::reexec {

template <>
struct JsonCodec<nsinspect::ListedNamespace>
    : nsinspect::RecordCodec<nsinspect::ListedNamespace> {};
template <>
struct JsonCodec<nsinspect::NamespaceList>
    : nsinspect::RecordCodec<nsinspect::NamespaceList> {};

}  // namespace gons::reexec

#endif  // GONS_TOOLS_NSINSPECT_DISCOVERY_H_
