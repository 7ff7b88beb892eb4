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
#include <cstdlib>
#include <cstring>
#include <memory>
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

bool HasEffectiveCapability(int capability) {
  const int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buffer[4096];
  const ssize_t size = read(fd, buffer, sizeof buffer - 1);
  close(fd);
  if (size <= 0) return false;
  buffer[size] = '\0';
  const char* line = std::strstr(buffer, "\nCapEff:\t");
  if (line == nullptr) return false;
  const unsigned long long mask = std::strtoull(line + 9, nullptr, 16);
  return (mask >> capability) & 1;
}

// Names the likely cause of a refused /proc/PID/ns link: the hint depends
// on who nsinspect runs as, since root can be refused too (without
// CAP_SYS_PTRACE, or for a process outside its user namespace).
absl::Status OpenFailure(int error, const std::string& path) {
  absl::Status status = absl::ErrnoToStatus(error, path);
  if ((error != EACCES && error != EPERM) || path.rfind("/proc/", 0) != 0) {
    return status;
  }
  constexpr int kSysPtrace = 19;  // CAP_SYS_PTRACE, <linux/capability.h>.
  const char* hint =
      geteuid() != 0 ? " (another user's process needs root or CAP_SYS_PTRACE)"
      : !HasEffectiveCapability(kSysPtrace)
          ? " (nsinspect runs as root but without CAP_SYS_PTRACE, which "
            "another user's process needs)"
          : " (refused although nsinspect has root and CAP_SYS_PTRACE: the "
            "process may hold capabilities nsinspect lacks, be outside its "
            "user namespace, or be guarded by a security module)";
  return absl::Status(status.code(), absl::StrCat(status.message(), hint));
}

// The path under which a re-executed child (still in nsinspect's mount and
// PID namespaces when it opens it) finds descriptor `fd` of nsinspect.
std::string DescriptorPath(int fd) {
  return absl::StrCat("/proc/", getpid(), "/fd/", fd);
}

// Opens `path`, checks that it is a namespace of `type` and finds its id.
absl::StatusOr<TargetNamespace> CheckNamespaceFile(const std::string& type,
                                                   const std::string& path) {
  // O_NONBLOCK: a FIFO given by mistake must not hang nsinspect.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return OpenFailure(errno, path);
  auto held = std::make_shared<const HeldDescriptor>(fd);
  const int actual_type = ioctl(fd, NS_GET_NSTYPE);
  const int type_error = errno;
  struct stat info;
  const bool have_info = fstat(fd, &info) == 0;
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
  result.held = std::move(held);
  struct stat own;
  result.already_in = have_info &&
                      stat(OwnNamespacePath(type).c_str(), &own) == 0 &&
                      own.st_dev == info.st_dev && own.st_ino == info.st_ino;
  return result;
}

int TypeOrder(const std::string& type) {
  return FindNamespaceTypeIndex(type.data(), type.size());
}

// Whether this kernel has namespace type `name` at all (time came in 5.6).
bool KernelHasType(const char* name) {
  const std::string own = absl::StrCat("/proc/self/ns/", name);
  return access(own.c_str(), F_OK) == 0 || errno != ENOENT;
}

// Finds the namespace files of the pinned process, failing when they are
// gone: a process that exits releases its namespaces before it becomes a
// zombie, and then its links vanish (ENOENT) although the kernel has them.
absl::Status AddProcessNamespaces(const PinnedProcess& process,
                                  std::vector<NamespacePath>& paths) {
  const std::string directory = absl::StrCat("/proc/", process.pid());
  for (const NamespaceType& type : kNamespaceTypes) {
    if (!KernelHasType(type.name)) continue;
    std::string path = absl::StrCat(directory, "/ns/", type.name);
    if (access(path.c_str(), F_OK) != 0 && errno == ENOENT) {
      if (absl::Status alive = process.CheckAlive(); !alive.ok()) {
        return alive;
      }
      return absl::FailedPreconditionError(
          absl::StrCat("process ", process.pid(), " is exiting: ", path,
                       " is already gone (its namespaces were released)"));
    }
    paths.push_back({type.name, std::move(path)});
  }
  return absl::OkStatus();
}

}  // namespace

HeldDescriptor::~HeldDescriptor() { close(fd_); }

TargetSpec PidTarget(pid_t pid) {
  TargetSpec spec;
  spec.label = absl::StrCat("--pid ", pid);
  spec.pid = pid;
  return spec;
}

absl::StatusOr<ResolvedTarget> ResolveTarget(const TargetSpec& spec) {
  std::vector<NamespacePath> paths = spec.paths;
  std::shared_ptr<const PinnedProcess> process;
  if (spec.pid.has_value()) {
    absl::StatusOr<std::shared_ptr<PinnedProcess>> pinned =
        PinnedProcess::Open(*spec.pid);
    if (!pinned.ok()) return pinned.status();
    process = *std::move(pinned);
    if (absl::Status found = AddProcessNamespaces(*process, paths);
        !found.ok()) {
      return found;
    }
  }
  if (paths.empty()) {
    return absl::InvalidArgumentError("no namespace given");
  }
  std::stable_sort(paths.begin(), paths.end(),
                   [](const NamespacePath& a, const NamespacePath& b) {
                     return TypeOrder(a.type) < TypeOrder(b.type);
                   });
  for (const NamespacePath& entry : paths) {
    if (entry.inode != 0 && entry.path.empty()) {
      return absl::NotFoundError(
          absl::StrCat("no namespace with inode ", entry.inode,
                       " is visible to nsinspect (see --list)"));
    }
  }
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
    if (entry.inode != 0 && checked->id != entry.inode) {
      return absl::FailedPreconditionError(absl::StrCat(
          entry.path, " is namespace ", checked->id, ", not ", entry.inode,
          ": what held ", entry.inode, " has gone since the scan"));
    }
    target.namespaces.push_back(*std::move(checked));
  }
  // Opened while the pidfd still said "alive": so they are the process's.
  if (process != nullptr) {
    if (absl::Status alive = process->CheckAlive(); !alive.ok()) return alive;
  }
  target.process = std::move(process);
  return target;
}

absl::Status CheckTargetStillAlive(const ResolvedTarget& target) {
  return target.process == nullptr ? absl::OkStatus()
                                   : target.process->CheckAlive();
}

std::vector<reexec::Namespace> NamespacesToEnter(const ResolvedTarget& target) {
  std::vector<reexec::Namespace> namespaces;
  for (const TargetNamespace& entry : target.namespaces) {
    if (!entry.already_in) {
      namespaces.push_back(
          {"!" + entry.type, entry.held == nullptr
                                 ? entry.path
                                 : DescriptorPath(entry.held->fd())});
    }
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
