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

int ReadPlace(Place* place) {
  const int directory =
      open("/proc/thread-self/ns", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (directory < 0) return errno;
  int error = 0;
  for (const int type_index : kThreadTypes) {
    const char* name = kNamespaceTypes[type_index].name;
    char link[64];
    const ssize_t length = readlinkat(directory, name, link, sizeof(link));
    if (length < 0) {
      error = errno;
      break;
    }
    // "NAME:[NUMBER]", all of it within the buffer.
    const absl::string_view text(link, static_cast<std::size_t>(length));
    const std::string prefix = absl::StrCat(name, ":[");
    if (static_cast<std::size_t>(length) == sizeof(link) ||
        !absl::StartsWith(text, prefix) || !absl::EndsWith(text, "]") ||
        !absl::SimpleAtoi(
            text.substr(prefix.size(), text.size() - prefix.size() - 1),
            &place->namespaces[type_index])) {
      error = EINVAL;
      break;
    }
  }
  close(directory);  // O_PATH: nothing to lose.
  if (error != 0) return error;
  struct stat status = {};
  if (stat("/", &status) != 0) return errno;
  place->root = {status.st_dev, status.st_ino};
  return 0;
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
