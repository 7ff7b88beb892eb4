// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: thread_place.h
// -----------------------------------------------------------------------------
//
// Where the calling thread is and what it may do, as the namespace threads
// of namespace_thread.h compare them: the identity of its mnt, cgroup, ipc,
// net and uts namespaces and of its root directory (a Home, by stat(); a
// Place, cheaper, by the links' numbers), and its ids and capabilities. The
// kernel keeps all of them per thread.
//
// Example:
//
//   gons::internal::Home before, after;
//   std::string failed;
//   if (gons::internal::ReadHome(&before, &failed) != 0) { ... }
//   ...  // setns() and back
//   bool back = gons::internal::ReadHome(&after, &failed) == 0 &&
//               after == before;
//
// Internal to gons; use gons/namespace_thread.h.

#ifndef GONS_THREAD_PLACE_H_
#define GONS_THREAD_PLACE_H_

#include <linux/capability.h>
#include <sys/types.h>

#include <string>

#include "gons/namespace_types.h"

namespace gons::internal {

// The types a namespace thread may enter, as indexes into kNamespaceTypes.
constexpr int kThreadTypes[] = {
    FindNamespaceTypeIndex("mnt", 3), FindNamespaceTypeIndex("cgroup", 6),
    FindNamespaceTypeIndex("ipc", 3), FindNamespaceTypeIndex("net", 3),
    FindNamespaceTypeIndex("uts", 3),
};

// Returns whether `type_index` is one of kThreadTypes. Thread-safe.
bool IsThreadType(int type_index);

// Returns "/proc/thread-self/ns/NAME" for a type index. Thread-safe.
std::string OwnNamespacePath(int type_index);

// The device and inode of a namespace or directory: equal for the same one.
struct Identity {
  dev_t device = 0;
  ino_t inode = 0;
  bool operator==(const Identity& other) const {
    return device == other.device && inode == other.inode;
  }
};

// Where a thread is: its namespaces of kThreadTypes and its root directory.
struct Home {
  Identity namespaces[kNumNamespaceTypes];  // By type index; kThreadTypes.
  Identity root;
  // Compares the kThreadTypes entries and the root.
  bool operator==(const Home& other) const;
};

// Reads the calling thread's Home. Returns 0, or an errno with `failed` set
// to what could not be read. Opens /proc/thread-self/ns once for all the
// types and closes it before returning. Thread-safe.
int ReadHome(Home* home, std::string* failed);

// Where a thread is, read in about half the time of a Home: the inode
// number of each namespace of kThreadTypes as its /proc/thread-self/ns link
// names it ("net:[N]"), and its root directory. The kernel writes the same
// number into the link as it gives stat() for the namespace, and every
// namespace is on the one nsfs device, so a Place tells namespaces apart
// exactly as a Home does (thread_place_test checks that they agree): the
// namespace threads use it both to match a caller with a worker and to
// prove a worker is back.
struct Place {
  unsigned long long namespaces[kNumNamespaceTypes] = {};  // kThreadTypes.
  Identity root;
  // Compares the kThreadTypes entries and the root.
  bool operator==(const Place& other) const;
};

// Reads the calling thread's Place; returns 0 or an errno (EINVAL for a
// link that does not read "NAME:[NUMBER]"). Opens /proc/thread-self/ns once
// for all the types and closes it before returning. Thread-safe.
int ReadPlace(Place* place);

// The same, and opens the calling thread's namespace of each type marked
// in `open_types` (O_RDONLY | O_CLOEXEC) into `fds` (-1 for the others),
// through the one /proc/thread-self/ns directory: the numbers of those
// types come from the descriptors (fstat), so the Place names the very
// namespaces they hold. The caller owns and closes the descriptors.
// Returns 0, or an errno with no descriptor left open and `*failed_open`
// the type index whose open failed (-1 for any other failure). Thread-safe.
int ReadPlaceAndOpen(Place* place, const bool (&open_types)[kNumNamespaceTypes],
                     int (&fds)[kNumNamespaceTypes], int* failed_open);

// As ReadPlace(), through the links' full paths, opening no descriptor at all:
// for a thread that reads while others may count the process's descriptors
// (a worker proving it is back after its caller has returned). Slower: one
// lookup of /proc/thread-self per type. Thread-safe.
int ReadPlaceHoldingNoDescriptor(Place* place);

// The calling thread's user and group ids and capabilities.
struct Credentials {
  uid_t uids[3] = {};  // Real, effective, saved.
  gid_t gids[3] = {};
  __user_cap_data_struct capabilities[_LINUX_CAPABILITY_U32S_3] = {};
  // Compares every id and the effective, permitted and inheritable sets.
  bool operator==(const Credentials& other) const;
};

// Reads the calling thread's Credentials (getresuid, getresgid, capget);
// returns false, with errno set, when a call failed. Thread-safe.
bool ReadCredentials(Credentials* credentials);

}  // namespace gons::internal

#endif  // GONS_THREAD_PLACE_H_
