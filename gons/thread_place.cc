// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "gons/thread_place.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <iterator>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gons/namespace_types.h"

namespace gons::internal {

bool IsThreadType(int type_index) {
  return std::find(std::begin(kThreadTypes), std::end(kThreadTypes),
                   type_index) != std::end(kThreadTypes);
}

std::string OwnNamespacePath(int type_index) {
  return absl::StrCat("/proc/thread-self/ns/",
                      kNamespaceTypes[type_index].name);
}

bool Home::operator==(const Home& other) const {
  for (const int type_index : kThreadTypes) {
    if (!(namespaces[type_index] == other.namespaces[type_index])) {
      return false;
    }
  }
  return root == other.root;
}

int ReadHome(Home* home, std::string* failed) {
  // One lookup of /proc/thread-self for all the types; closed again at
  // once, so that an idle namespace thread holds no descriptor.
  const int directory =
      open("/proc/thread-self/ns", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (directory < 0) {
    *failed = "/proc/thread-self/ns";
    return errno;
  }
  int error = 0;
  struct stat status = {};
  for (const int type_index : kThreadTypes) {
    if (fstatat(directory, kNamespaceTypes[type_index].name, &status, 0) != 0) {
      error = errno;
      *failed = OwnNamespacePath(type_index);
      break;
    }
    home->namespaces[type_index] = {status.st_dev, status.st_ino};
  }
  close(directory);  // O_PATH: nothing to lose.
  if (error != 0) return error;
  if (stat("/", &status) != 0) {
    *failed = "/";
    return errno;
  }
  home->root = {status.st_dev, status.st_ino};
  return 0;
}

bool Place::operator==(const Place& other) const {
  for (const int type_index : kThreadTypes) {
    if (namespaces[type_index] != other.namespaces[type_index]) return false;
  }
  return root == other.root;
}

namespace {

// Parses a namespace link of `type_index` ("NAME:[NUMBER]", `length` bytes
// of `link`, which holds `capacity`) into `number`; false when it does not
// read so or may have been cut short.
bool ParseLink(int type_index, const char* link, ssize_t length,
               std::size_t capacity, unsigned long long* number) {
  const char* name = kNamespaceTypes[type_index].name;
  const absl::string_view text(link, static_cast<std::size_t>(length));
  const std::string prefix = absl::StrCat(name, ":[");
  return static_cast<std::size_t>(length) < capacity &&
         absl::StartsWith(text, prefix) && absl::EndsWith(text, "]") &&
         absl::SimpleAtoi(
             text.substr(prefix.size(), text.size() - prefix.size() - 1),
             number);
}

// Reads the number of the namespace of `type_index` from its link `name`
// (relative to `directory`, or a path with AT_FDCWD); returns 0, the errno
// value of readlinkat(), or EINVAL for a link that does not read so.
int ReadLinkNumber(int directory, const char* name, int type_index,
                   unsigned long long* number) {
  char link[64];
  const ssize_t length = readlinkat(directory, name, link, sizeof(link));
  if (length < 0) return errno;
  return ParseLink(type_index, link, length, sizeof(link), number) ? 0 : EINVAL;
}

int ReadRoot(Place* place) {
  struct stat status = {};
  if (stat("/", &status) != 0) return errno;
  place->root = {status.st_dev, status.st_ino};
  return 0;
}

}  // namespace

int ReadPlace(Place* place) {
  constexpr bool kOpenNone[kNumNamespaceTypes] = {};
  int unused_fds[kNumNamespaceTypes];  // All -1: nothing is opened.
  int unused_failed_open = -1;
  return ReadPlaceAndOpen(place, kOpenNone, unused_fds, &unused_failed_open);
}

int ReadPlaceAndOpen(Place* place, const bool (&open_types)[kNumNamespaceTypes],
                     int (&fds)[kNumNamespaceTypes], int* failed_open) {
  for (int& fd : fds) fd = -1;
  *failed_open = -1;
  const auto close_all = [&fds] {
    for (int& fd : fds) {
      if (fd >= 0) close(fd);  // Read-only namespace file: nothing to lose.
      fd = -1;
    }
  };
  const int directory =
      open("/proc/thread-self/ns", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (directory < 0) return errno;
  int error = 0;
  for (const int type_index : kThreadTypes) {
    const char* name = kNamespaceTypes[type_index].name;
    if (open_types[type_index]) {
      // The number from the descriptor itself: it names the very namespace
      // that the descriptor holds.
      fds[type_index] = openat(directory, name, O_RDONLY | O_CLOEXEC);
      struct stat status = {};
      if (fds[type_index] < 0) {
        error = errno;
        *failed_open = type_index;
        break;
      }
      if (fstat(fds[type_index], &status) != 0) {
        error = errno;
        break;
      }
      place->namespaces[type_index] = status.st_ino;
      continue;
    }
    error = ReadLinkNumber(directory, name, type_index,
                           &place->namespaces[type_index]);
    if (error != 0) break;
  }
  close(directory);  // O_PATH: nothing to lose.
  if (error == 0) error = ReadRoot(place);
  if (error != 0) close_all();
  return error;
}

int ReadPlaceHoldingNoDescriptor(Place* place) {
  for (const int type_index : kThreadTypes) {
    const std::string path = OwnNamespacePath(type_index);
    if (const int error = ReadLinkNumber(AT_FDCWD, path.c_str(), type_index,
                                         &place->namespaces[type_index]);
        error != 0) {
      return error;
    }
  }
  return ReadRoot(place);
}

bool Credentials::operator==(const Credentials& other) const {
  for (int index = 0; index < _LINUX_CAPABILITY_U32S_3; ++index) {
    const __user_cap_data_struct& mine = capabilities[index];
    const __user_cap_data_struct& theirs = other.capabilities[index];
    if (mine.effective != theirs.effective ||
        mine.permitted != theirs.permitted ||
        mine.inheritable != theirs.inheritable) {
      return false;
    }
  }
  return std::equal(uids, uids + 3, other.uids) &&
         std::equal(gids, gids + 3, other.gids);
}

bool ReadCredentials(Credentials* credentials) {
  // The raw capget: glibc has no wrapper. Header pid 0: the calling thread.
  __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  return getresuid(&credentials->uids[0], &credentials->uids[1],
                   &credentials->uids[2]) == 0 &&
         getresgid(&credentials->gids[0], &credentials->gids[1],
                   &credentials->gids[2]) == 0 &&
         syscall(SYS_capget, &header, credentials->capabilities) == 0;
}

}  // namespace gons::internal
