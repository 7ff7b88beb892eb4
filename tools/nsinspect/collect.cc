// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/collect.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gons/namespace_types.h"
#include "tools/nsinspect/netlink_interfaces.h"
#include "tools/nsinspect/posix_queues.h"
#include "tools/nsinspect/proc_directory.h"
#include "tools/nsinspect/proc_parsers.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {
namespace {

// Reads and parses /proc/`relative` into `out`, or records why it could
// not. `self` is the caller's own /proc entry ("self" or "thread-self").
template <typename T, typename Parser>
void ReadPart(const std::string& part, const ProcDirectory& proc,
              const std::string& self, const std::string& relative,
              Parser parse, T* out,
              std::map<std::string, std::string>* errors) {
  absl::StatusOr<std::string> text = proc.Read(relative);
  absl::StatusOr<T> parsed =
      text.ok() ? parse(*text) : absl::StatusOr<T>(text.status());
  if (parsed.ok()) {
    *out = *std::move(parsed);
    return;
  }
  std::string error(parsed.status().message());
  // After a mount namespace switch, /proc may be the container's, mounted
  // for a PID namespace this process is not in: there /proc/self is absent.
  if (absl::IsNotFound(parsed.status()) && !proc.Exists(self) &&
      proc.Exists("1")) {
    absl::StrAppend(&error,
                    " (this /proc is another PID namespace's; inspecting by "
                    "--pid enters that one too)");
  }
  std::string& entry = (*errors)[part];
  absl::StrAppend(&entry, entry.empty() ? "" : "; ", error);
}

// /proc/self/ns shows the namespaces of the process's first thread, which a
// worker thread that entered others is not in: `self` says whose to read.
// The directory is opened once, and each link looked up in it.
std::map<std::string, std::uint64_t> NamespaceIds(const ProcDirectory& proc,
                                                  const std::string& self) {
  std::map<std::string, std::uint64_t> ids;
  const int directory = proc.OpenDirectory(self + "/ns");
  if (directory < 0) return ids;
  for (const NamespaceType& type : kNamespaceTypes) {
    struct stat info;
    // One component in procfs: the magic link leads to the namespace only.
    if (fstatat(directory, type.name, &info, 0) == 0) {
      ids[type.name] = info.st_ino;
    }
  }
  close(directory);  // O_PATH: nothing to flush, so nothing to report.
  return ids;
}

}  // namespace

NamespaceView CollectView(const ViewRequest& request, Collector collector,
                          const ProcDirectory& proc) {
  const std::string self =
      collector == Collector::kThread ? "thread-self" : "self";
  NamespaceView view;
  view.namespace_ids = NamespaceIds(proc, self);
  if (view.namespace_ids.empty()) {
    view.errors["namespace_ids"] =
        absl::StrCat("/proc/", self, "/ns cannot be read");
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

  // mountinfo shows the mount namespace of the thread it names, and the
  // table from that thread's root; the id maps its user namespace.
  ReadPart("mounts", proc, self, self + "/mountinfo", ParseMountInfo,
           &view.mounts, &view.errors);
  ReadPart("uid_map", proc, self, self + "/uid_map", ParseIdMap, &view.uid_map,
           &view.errors);
  ReadPart("gid_map", proc, self, self + "/gid_map", ParseIdMap, &view.gid_map,
           &view.errors);
  // Cgroup membership belongs to a process: the target's, read by this
  // child in the target's cgroup namespace, which is what makes the kernel
  // show the paths as the target sees them. The child's own membership
  // would be nsinspect's.
  const std::string target = absl::StrCat(request.target_pid);
  struct stat cgroup_namespace;
  // nsinspect reads these from outside for a process target.
  view.errors["host_cgroups"] = "read for --pid targets only";
  if (request.target_pid <= 0) {
    view.errors["cgroups"] =
        "namespace files name no process; give --pid to see its cgroups";
  } else if (proc.Stat(target + "/ns/cgroup", &cgroup_namespace) != 0 ||
             cgroup_namespace.st_ino != request.target_cgroup_namespace) {
    view.errors["cgroups"] = absl::StrCat(
        "the target is not /proc/", target,
        " in the /proc it sees (none mounted, or another PID namespace's)");
  } else {
    // The kernel writes the paths relative to the cgroup namespace of the
    // thread that reads, which is the one this caller entered.
    ReadPart("cgroups", proc, self, target + "/cgroup", ParseCgroups,
             &view.cgroups, &view.errors);
  }
  for (const char* kind : {"shm", "msg", "sem"}) {
    std::vector<IpcObject> objects;
    // The kernel lists the IPC namespace of the thread that opens the file.
    ReadPart(
        "ipc_objects", proc, self, absl::StrCat("sysvipc/", kind),
        [kind](absl::string_view text) { return ParseSysvIpc(kind, text); },
        &objects, &view.errors);
    view.ipc_objects.insert(view.ipc_objects.end(), objects.begin(),
                            objects.end());
  }
  if (absl::StatusOr<std::vector<PosixQueue>> queues = CollectPosixQueues();
      queues.ok()) {
    view.posix_queues = *std::move(queues);
  } else {
    view.errors["posix_queues"] = std::string(queues.status().message());
  }
  return view;
}

}  // namespace gons::nsinspect
