// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/leak_check.h"

#include <dirent.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace gons::reexec::leak_check {

std::vector<int> OpenDescriptors() {
  std::vector<int> descriptors;
  DIR* directory = opendir("/proc/self/fd");
  if (directory == nullptr) return descriptors;
  const int own = dirfd(directory);
  while (const dirent* entry = readdir(directory)) {
    const int fd = std::atoi(entry->d_name);
    if (entry->d_name[0] != '.' && fd != own) descriptors.push_back(fd);
  }
  closedir(directory);
  std::sort(descriptors.begin(), descriptors.end());
  return descriptors;
}

std::string ChildrenLeft() {
  // WNOWAIT: look without reaping, so a zombie stays visible to the caller.
  siginfo_t info = {};
  if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    return errno == ECHILD ? "" : absl::StrCat("waitid: errno ", errno);
  }
  if (info.si_pid != 0) return absl::StrCat("pid ", info.si_pid, " (zombie)");
  return "a running child";
}

}  // namespace gons::reexec::leak_check
