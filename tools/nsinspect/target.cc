// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/target.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gons/namespace_types.h"
#include "reexec/options.h"

namespace gons::nsinspect {
namespace {

// The namespace nsinspect's children start in: for pid and time that is
// the "..._for_children" one, which setns(2) changes without moving the
// caller itself.
std::string OwnNamespacePath(const std::string& type) {
  if (type == "pid" || type == "time") {
    return absl::StrCat("/proc/self/ns/", type, "_for_children");
  }
  return absl::StrCat("/proc/self/ns/", type);
}

const char* TypeName(int clone_flag) {
  const int index = FindNamespaceTypeIndexByFlag(clone_flag);
  return index < 0 ? "unknown" : kNamespaceTypes[index].name;
}

absl::Status OpenFailure(int error, const std::string& path) {
  absl::Status status = absl::ErrnoToStatus(error, path);
  if ((error != EACCES && error != EPERM) || path.rfind("/proc/", 0) != 0) {
    return status;
  }
  return absl::Status(
      status.code(),
      absl::StrCat(status.message(),
                   " (another user's process needs root or CAP_SYS_PTRACE)"));
}

// Opens `path`, checks that it is a namespace of `type` and finds its id.
absl::StatusOr<TargetNamespace> CheckNamespaceFile(const std::string& type,
                                                   const std::string& path) {
  // O_NONBLOCK: a FIFO given by mistake must not hang nsinspect.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return OpenFailure(errno, path);
  const int actual_type = ioctl(fd, NS_GET_NSTYPE);
  const int type_error = errno;
  struct stat info;
  const bool have_info = fstat(fd, &info) == 0;
  close(fd);
  if (actual_type < 0) {
    return absl::InvalidArgumentError(
        type_error == ENOTTY
            ? absl::StrCat(path, " is not a namespace file")
            : absl::StrCat(
                  path, ": ioctl(NS_GET_NSTYPE): ", std::strerror(type_error)));
  }
  const int index = FindNamespaceTypeIndex(type.data(), type.size());
  if (index < 0 || kNamespaceTypes[index].clone_flag != actual_type) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is a ", TypeName(actual_type),
                     " namespace, not a ", type, " namespace"));
  }
  TargetNamespace result;
  result.type = type;
  result.path = path;
  result.id = have_info ? info.st_ino : 0;
  struct stat own;
  result.already_in = have_info &&
                      stat(OwnNamespacePath(type).c_str(), &own) == 0 &&
                      own.st_dev == info.st_dev && own.st_ino == info.st_ino;
  return result;
}

int TypeOrder(const std::string& type) {
  return FindNamespaceTypeIndex(type.data(), type.size());
}

}  // namespace

TargetSpec PidTarget(pid_t pid) {
  TargetSpec spec;
  spec.label = absl::StrCat("--pid ", pid);
  spec.pid = pid;
  return spec;
}

absl::StatusOr<ResolvedTarget> ResolveTarget(const TargetSpec& spec) {
  std::vector<NamespacePath> paths = spec.paths;
  if (spec.pid.has_value()) {
    const std::string directory = absl::StrCat("/proc/", *spec.pid);
    struct stat info;
    if (*spec.pid <= 0 || stat(directory.c_str(), &info) != 0) {
      return absl::NotFoundError(
          absl::StrCat("no such process (", directory, " does not exist)"));
    }
    for (const NamespaceType& type : kNamespaceTypes) {
      std::string path = absl::StrCat(directory, "/ns/", type.name);
      // A type this kernel lacks (time before Linux 5.6) is left out.
      if (access(path.c_str(), F_OK) != 0 && errno == ENOENT) continue;
      paths.push_back({type.name, std::move(path)});
    }
  }
  if (paths.empty()) {
    return absl::InvalidArgumentError("no namespace given");
  }
  std::stable_sort(paths.begin(), paths.end(),
                   [](const NamespacePath& a, const NamespacePath& b) {
                     return TypeOrder(a.type) < TypeOrder(b.type);
                   });
  ResolvedTarget target;
  for (const NamespacePath& entry : paths) {
    if (TypeOrder(entry.type) < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown namespace type \"", entry.type, "\""));
    }
    if (!target.namespaces.empty() &&
        target.namespaces.back().type == entry.type) {
      return absl::InvalidArgumentError(
          absl::StrCat("two ", entry.type, " namespaces given"));
    }
    absl::StatusOr<TargetNamespace> checked =
        CheckNamespaceFile(entry.type, entry.path);
    if (!checked.ok()) return checked.status();
    target.namespaces.push_back(*std::move(checked));
  }
  return target;
}

std::vector<reexec::Namespace> NamespacesToEnter(const ResolvedTarget& target) {
  std::vector<reexec::Namespace> namespaces;
  for (const TargetNamespace& entry : target.namespaces) {
    if (!entry.already_in) namespaces.push_back({"!" + entry.type, entry.path});
  }
  return namespaces;
}

bool EntersPidNamespace(const ResolvedTarget& target) {
  for (const TargetNamespace& entry : target.namespaces) {
    if (entry.type == "pid" && !entry.already_in) return true;
  }
  return false;
}

}  // namespace gons::nsinspect
