// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/host_side.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/nsinspect/bounded_file.h"
#include "tools/nsinspect/proc_parsers.h"

namespace gons::nsinspect {
namespace {

template <typename T, typename Parser>
absl::Status ReadInto(const std::string& path, Parser parse, T* out) {
  absl::StatusOr<std::string> text = ReadBoundedFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<T> parsed = parse(*text);
  if (!parsed.ok()) return parsed.status();
  *out = *std::move(parsed);
  return absl::OkStatus();
}

// The last number of the NSpid line: the PID in the process's own PID
// namespace, which is how a /proc mounted there numbers it.
int InnermostPid(pid_t pid) {
  absl::StatusOr<std::string> status =
      ReadBoundedFile(absl::StrCat("/proc/", pid, "/status"));
  if (!status.ok()) return 0;
  for (absl::string_view line : absl::StrSplit(*status, '\n')) {
    if (!absl::ConsumePrefix(&line, "NSpid:")) continue;
    const std::vector<absl::string_view> numbers =
        absl::StrSplit(line, '\t', absl::SkipWhitespace());
    int innermost = 0;
    if (numbers.empty() || !absl::SimpleAtoi(numbers.back(), &innermost)) {
      return 0;
    }
    return innermost;
  }
  return 0;
}

}  // namespace

ViewRequest RequestFor(const ResolvedTarget& target) {
  ViewRequest request;
  request.enter_pid_namespace = EntersPidNamespace(target);
  if (target.process == nullptr) return request;
  for (const TargetNamespace& entry : target.namespaces) {
    if (entry.type == "cgroup") request.target_cgroup_namespace = entry.id;
  }
  request.target_pid = InnermostPid(target.process->pid());
  return request;
}

void AddHostSideParts(const PinnedProcess& process, NamespaceView* view) {
  const std::string directory = absl::StrCat("/proc/", process.pid());
  const std::string mountinfo = directory + "/mountinfo";
  std::vector<Mount> mounts;
  if (absl::Status read = ReadInto(mountinfo, ParseMountInfo, &mounts);
      read.ok()) {
    view->mounts = std::move(mounts);
    view->errors.erase("mounts");
    view->sources["mounts"] =
        absl::StrCat(mountinfo, ": as the process sees them, from its root");
  } else {
    view->errors["mounts"] = std::string(read.message());
  }
  // A named array, not a braced list in the loop: GCC 14 takes the pairs
  // of an initializer_list there for dangling references.
  const std::pair<const char*, decltype(&view->uid_map)> id_maps[] = {
      {"uid_map", &view->uid_map}, {"gid_map", &view->gid_map}};
  for (const auto& [part, map] : id_maps) {
    if (view->errors.count(part) == 0) continue;
    const std::string path = absl::StrCat(directory, "/", part);
    if (ReadInto(path, ParseIdMap, map).ok()) {
      view->errors.erase(part);
      view->sources[part] = path;
    }
  }
  // The file shows the offsets of the time namespace the process's
  // children get, which is its own once it has entered one.
  const std::string offsets = directory + "/timens_offsets";
  if (absl::Status read =
          ReadInto(offsets, ParseTimeOffsets, &view->time_offsets);
      !read.ok() && !absl::IsNotFound(read)) {
    view->errors["time_offsets"] = std::string(read.message());
  }
  const std::string cgroup = directory + "/cgroup";
  if (absl::Status read = ReadInto(cgroup, ParseCgroups, &view->host_cgroups);
      read.ok()) {
    view->errors.erase("host_cgroups");
  } else {
    view->errors["host_cgroups"] = std::string(read.message());
  }
}

}  // namespace gons::nsinspect
