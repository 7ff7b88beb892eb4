// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/discovery.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "gons/namespace_types.h"
#include "tools/nsinspect/bounded_file.h"
#include "tools/nsinspect/proc_parsers.h"

namespace gons::nsinspect {
namespace {

// The links of /proc/PID/ns: every type, and the namespaces a process's
// next children get, which differ from its own after unshare(2) or setns(2)
// of a PID or time namespace.
std::vector<std::string> NamespaceLinkNames() {
  std::vector<std::string> names;
  for (const NamespaceType& type : kNamespaceTypes) names.push_back(type.name);
  names.push_back("pid_for_children");
  names.push_back("time_for_children");
  return names;
}

// Parses a namespace link or nsfs root, "net:[4026531840]", into its type
// and inode; nullopt for anything else, such as "pipe:[123]".
std::optional<std::pair<std::string, std::uint64_t>> ParseNamespaceName(
    absl::string_view text) {
  const std::size_t colon = text.find(":[");
  if (colon == absl::string_view::npos || !absl::EndsWith(text, "]")) {
    return std::nullopt;
  }
  const absl::string_view type = text.substr(0, colon);
  if (FindNamespaceTypeIndex(type.data(), type.size()) < 0) {
    return std::nullopt;
  }
  std::uint64_t inode = 0;
  const absl::string_view digits =
      text.substr(colon + 2, text.size() - colon - 3);
  if (digits.empty() || !absl::SimpleAtoi(digits, &inode)) {
    return std::nullopt;
  }
  return std::make_pair(std::string(type), inode);
}

// readlink(2) into a string; nullopt with errno set when it fails.
std::optional<std::string> ReadLink(const std::string& path) {
  char target[256];
  const ssize_t size = readlink(path.c_str(), target, sizeof(target));
  if (size < 0) return std::nullopt;
  return std::string(target, static_cast<std::size_t>(size));
}

// The numeric entries of a directory, ascending, at most `limit`; sets
// `*more` when there were more. Empty with errno set when it cannot be
// opened.
std::vector<int> NumericEntries(const std::string& directory, int limit,
                                bool* more) {
  std::vector<int> numbers;
  DIR* dir = opendir(directory.c_str());
  if (dir == nullptr) return numbers;
  while (const dirent* entry = readdir(dir)) {
    int number = 0;
    if (!absl::SimpleAtoi(entry->d_name, &number) || number < 0) continue;
    if (static_cast<int>(numbers.size()) == limit) {
      *more = true;
      break;
    }
    numbers.push_back(number);
  }
  const int error = errno;
  closedir(dir);
  std::sort(numbers.begin(), numbers.end());
  errno = error;
  return numbers;
}

// A process's command line, as lsns(8) shows it: the arguments joined by
// spaces, or "[name]" when it has none (a kernel thread, a zombie).
std::string CommandOf(int pid) {
  absl::StatusOr<std::string> line =
      ReadBoundedFile(absl::StrCat("/proc/", pid, "/cmdline"), 1 << 20);
  if (line.ok() && !line->empty()) {
    // A process that rewrote its arguments (setproctitle, perl's $0)
    // leaves the rest of their space as NULs.
    std::string text = *line;
    text.erase(text.find_last_not_of('\0') + 1);
    std::replace(text.begin(), text.end(), '\0', ' ');
    return text.size() > 4096 ? text.substr(0, 4096) : text;
  }
  absl::StatusOr<std::string> name =
      ReadBoundedFile(absl::StrCat("/proc/", pid, "/comm"), 64);
  if (!name.ok()) return "";
  return absl::StrCat("[", absl::StripTrailingAsciiWhitespace(*name), "]");
}

struct Found {
  ListedNamespace listed;
  std::set<int> processes;
  std::vector<std::string> paths;  // Candidates to open it by, best first.
};

class Scan {
 public:
  NamespaceList Run() {
    bool more = false;
    const std::vector<int> pids = NumericEntries("/proc", kMaxProcesses, &more);
    if (more) {
      notes_.push_back(absl::StrCat("only the first ", kMaxProcesses,
                                    " processes were scanned"));
    }
    for (const int pid : pids) ScanProcess(pid);
    for (const auto& [mount_namespace, pid] : mount_table_readers_) {
      ScanMountTable(mount_namespace, pid);
    }
    if (unreadable_processes_ > 0) {
      notes_.push_back(
          absl::StrCat(unreadable_processes_,
                       unreadable_processes_ == 1 ? " process" : " processes",
                       " could not be read (Permission denied: another "
                       "user's, or outside nsinspect's user namespace)"));
    }
    if (unreadable_descriptors_ > 0) {
      notes_.push_back(
          absl::StrCat("the descriptors of ", unreadable_descriptors_,
                       unreadable_descriptors_ == 1 ? " process" : " processes",
                       " could not be read (Permission denied)"));
    }
    if (unreadable_mount_tables_ > 0) {
      notes_.push_back(absl::StrCat(
          unreadable_mount_tables_,
          unreadable_mount_tables_ == 1 ? " mount table" : " mount tables",
          " could not be read"));
    }
    NamespaceList list;
    for (auto& [inode, found] : found_) {
      found.listed.processes = static_cast<int>(found.processes.size());
      if (!found.processes.empty()) {
        found.listed.lowest_pid = *found.processes.begin();
        found.listed.command = CommandOf(found.listed.lowest_pid);
      }
      AskTheKernel(found);
      list.namespaces.push_back(std::move(found.listed));
    }
    list.notes = std::move(notes_);
    return list;
  }

 private:
  Found& Add(const std::string& type, std::uint64_t inode,
             const std::string& path) {
    Found& found = found_[inode];
    if (found.listed.type.empty()) {
      found.listed.type = type;
      found.listed.inode = inode;
    }
    if (found.paths.size() < 4) found.paths.push_back(path);
    return found;
  }

  static void AddHolder(Found& found, std::string holder) {
    if (static_cast<int>(found.listed.holders.size()) < kMaxHoldersListed) {
      found.listed.holders.push_back(std::move(holder));
    } else {
      ++found.listed.holders_left_out;
    }
  }

  // Reads the namespace links under `directory` (/proc/PID/ns or
  // /proc/PID/task/TID/ns) into link name -> (type, inode). False when
  // the task is gone or refused (errno says which).
  bool ReadLinks(
      const std::string& directory,
      std::map<std::string, std::pair<std::string, std::uint64_t>>* links) {
    for (const std::string& name : link_names_) {
      const std::string path = absl::StrCat(directory, "/", name);
      const std::optional<std::string> target = ReadLink(path);
      if (!target.has_value()) {
        if (errno == ENOENT) continue;  // A type this kernel lacks, or gone.
        return false;
      }
      if (auto parsed = ParseNamespaceName(*target)) (*links)[name] = *parsed;
    }
    if (links->empty()) errno = ESRCH;  // It exited: no link was left.
    return !links->empty();
  }

  void ScanProcess(int pid) {
    const std::string directory = absl::StrCat("/proc/", pid);
    std::map<std::string, std::pair<std::string, std::uint64_t>> links;
    if (!ReadLinks(directory + "/ns", &links)) {
      if (errno == EACCES || errno == EPERM) ++unreadable_processes_;
      return;  // Otherwise it exited during the scan.
    }
    for (const auto& [name, entry] : links) {
      Found& found =
          Add(entry.first, entry.second, absl::StrCat(directory, "/ns/", name));
      if (absl::EndsWith(name, "_for_children")) {
        // Only the process's next children are in it, not the process.
        const auto own = links.find(entry.first);
        if (own == links.end() || own->second != entry) {
          AddHolder(found, absl::StrCat("the next children of process ", pid));
        }
        continue;
      }
      found.processes.insert(pid);
      if (entry.first == "mnt" && name == "mnt") {
        mount_table_readers_.emplace(entry.second, pid);
      }
    }
    ScanThreads(pid, links);
    ScanDescriptors(pid);
  }

  void ScanThreads(
      int pid,
      const std::map<std::string, std::pair<std::string, std::uint64_t>>&
          process_links) {
    const std::string tasks = absl::StrCat("/proc/", pid, "/task");
    bool more = false;
    for (const int tid : NumericEntries(tasks, kMaxTasksPerProcess, &more)) {
      if (tid == pid) continue;
      const std::string directory = absl::StrCat(tasks, "/", tid, "/ns");
      std::map<std::string, std::pair<std::string, std::uint64_t>> links;
      if (!ReadLinks(directory, &links)) continue;
      for (const auto& [name, entry] : links) {
        const auto same = process_links.find(name);
        if (same != process_links.end() && same->second == entry) continue;
        Found& found =
            Add(entry.first, entry.second, absl::StrCat(directory, "/", name));
        if (absl::EndsWith(name, "_for_children")) {
          AddHolder(found, absl::StrCat("the next children of thread ", tid,
                                        " of process ", pid));
          continue;
        }
        found.processes.insert(pid);
        AddHolder(found, absl::StrCat("thread ", tid, " of process ", pid));
      }
    }
    if (more) {
      notes_.push_back(absl::StrCat("process ", pid, ": only its first ",
                                    kMaxTasksPerProcess,
                                    " threads were scanned"));
    }
  }

  void ScanDescriptors(int pid) {
    const std::string directory = absl::StrCat("/proc/", pid, "/fd");
    bool more = false;
    errno = 0;
    const std::vector<int> fds =
        NumericEntries(directory, kMaxDescriptorsPerProcess, &more);
    if (fds.empty() && (errno == EACCES || errno == EPERM)) {
      ++unreadable_descriptors_;
      return;
    }
    for (const int fd : fds) {
      const std::string path = absl::StrCat(directory, "/", fd);
      const std::optional<std::string> target = ReadLink(path);
      if (!target.has_value()) continue;  // Closed meanwhile.
      auto parsed = ParseNamespaceName(*target);
      // A namespace file opened through a bind mount that was detached
      // since (umount -l) reads as "/": only its device tells.
      if (!parsed.has_value() && absl::StartsWith(*target, "/")) {
        parsed = NamespaceFileAt(path);
      }
      if (!parsed.has_value()) continue;
      Found& found = Add(parsed->first, parsed->second, path);
      AddHolder(found, absl::StrCat("descriptor ", fd, " of process ", pid));
    }
    if (more) {
      notes_.push_back(absl::StrCat("process ", pid, ": only its first ",
                                    kMaxDescriptorsPerProcess,
                                    " descriptors were scanned"));
    }
  }

  // The type and inode of the namespace file at `path`, or nullopt when
  // it is none (not on nsfs).
  std::optional<std::pair<std::string, std::uint64_t>> NamespaceFileAt(
      const std::string& path) const {
    struct stat info;
    if (nsfs_device_ == 0 || stat(path.c_str(), &info) != 0 ||
        info.st_dev != nsfs_device_) {
      return std::nullopt;
    }
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return std::nullopt;
    const int clone_flag = ioctl(fd, NS_GET_NSTYPE);
    close(fd);
    const int index = FindNamespaceTypeIndexByFlag(clone_flag);
    if (clone_flag < 0 || index < 0) return std::nullopt;
    return std::make_pair(std::string(kNamespaceTypes[index].name),
                          static_cast<std::uint64_t>(info.st_ino));
  }

  static dev_t NsfsDevice() {
    struct stat info;
    return stat("/proc/self/ns/net", &info) == 0 ? info.st_dev : 0;
  }

  // The nsfs mounts of one mount namespace, read through a process in it;
  // the mount points are relative to that process's root.
  void ScanMountTable(std::uint64_t mount_namespace, int pid) {
    const std::string directory = absl::StrCat("/proc/", pid);
    absl::StatusOr<std::string> text =
        ReadBoundedFile(directory + "/mountinfo");
    absl::StatusOr<std::vector<Mount>> mounts =
        text.ok() ? ParseMountInfo(*text)
                  : absl::StatusOr<std::vector<Mount>>(text.status());
    if (!mounts.ok()) {
      if (!absl::IsNotFound(mounts.status())) ++unreadable_mount_tables_;
      return;
    }
    for (const Mount& mount : *mounts) {
      if (mount.type != "nsfs") continue;
      const auto parsed = ParseNamespaceName(mount.root);
      if (!parsed.has_value()) continue;
      Found& found = Add(parsed->first, parsed->second,
                         absl::StrCat(directory, "/root", mount.mount_point));
      AddHolder(found, absl::StrCat("bind mount ", mount.mount_point,
                                    " in mnt namespace ", mount_namespace));
    }
  }

  // Opens the namespace by one of its paths (checking that the file is
  // still it) and asks for its owner and parent.
  static void AskTheKernel(Found& found) {
    ListedNamespace& listed = found.listed;
    for (const std::string& path : found.paths) {
      const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
      if (fd < 0) continue;
      struct stat info;
      if (fstat(fd, &info) != 0 || info.st_ino != listed.inode) {
        close(fd);
        continue;
      }
      listed.path = path;
      const int owner = ioctl(fd, NS_GET_USERNS);
      if (owner >= 0) {
        if (fstat(owner, &info) == 0) listed.owner_namespace = info.st_ino;
      }
      uid_t uid = 0;
      const int user_fd = listed.type == "user" ? fd : owner;
      if (user_fd >= 0 && ioctl(user_fd, NS_GET_OWNER_UID, &uid) == 0) {
        listed.owner_uid = uid;
      }
      if (owner >= 0) close(owner);
      if (listed.type == "user" || listed.type == "pid") {
        const int parent = ioctl(fd, NS_GET_PARENT);
        if (parent >= 0) {
          if (fstat(parent, &info) == 0) listed.parent_namespace = info.st_ino;
          close(parent);
        }
      }
      close(fd);
      return;
    }
    if (!found.paths.empty()) listed.path = found.paths.front();
  }

  const std::vector<std::string> link_names_ = NamespaceLinkNames();
  const dev_t nsfs_device_ = NsfsDevice();
  std::map<std::uint64_t, Found> found_;
  std::map<std::uint64_t, int> mount_table_readers_;  // The lowest PID.
  std::vector<std::string> notes_;
  int unreadable_processes_ = 0;
  int unreadable_descriptors_ = 0;
  int unreadable_mount_tables_ = 0;
};

}  // namespace

NamespaceList DiscoverNamespaces() { return Scan().Run(); }

const ListedNamespace* FindListed(const NamespaceList& list,
                                  std::uint64_t inode) {
  for (const ListedNamespace& listed : list.namespaces) {
    if (listed.inode == inode) return &listed;
  }
  return nullptr;
}

}  // namespace gons::nsinspect
