// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/thread_view.h"

#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gons/namespace_thread.h"
#include "reexec/options.h"
#include "tools/nsinspect/collect.h"
#include "tools/nsinspect/proc_directory.h"
#include "tools/nsinspect/target.h"
#include "tools/nsinspect/view.h"
#include "tools/nsinspect/view_request.h"

namespace gons::nsinspect {
namespace {

bool HasEffectiveSysAdmin() {
  __user_cap_header_struct header = {};
  header.version = _LINUX_CAPABILITY_VERSION_3;
  header.pid = 0;
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capget, &header, data) != 0) return false;
  return (data[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32))) !=
         0;
}

// Whether /proc/self/ns/TYPE and TYPE_for_children are one namespace. A
// thread is in the first; a child of nsinspect starts in the second.
bool SameAsForChildren(const char* type) {
  struct stat own;
  struct stat children;
  const std::string path = absl::StrCat("/proc/self/ns/", type);
  if (stat(path.c_str(), &own) != 0) return true;  // No such type here.
  if (stat(absl::StrCat(path, "_for_children").c_str(), &children) != 0) {
    return false;
  }
  return own.st_dev == children.st_dev && own.st_ino == children.st_ino;
}

}  // namespace

absl::Status CheckThreadsCanInspect() {
  if (!HasEffectiveSysAdmin()) {
    return absl::FailedPreconditionError(
        "nsinspect's threads cannot enter namespaces: it lacks CAP_SYS_ADMIN "
        "in its own user namespace");
  }
  for (const char* type : {"pid", "time"}) {
    if (!SameAsForChildren(type)) {
      return absl::FailedPreconditionError(
          absl::StrCat("nsinspect's threads are in another ", type,
                       " namespace than its children start in"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckThreadCanEnter(const ResolvedTarget& target) {
  for (const TargetNamespace& entry : target.namespaces) {
    if (entry.already_in) continue;
    if (entry.type == "user" || entry.type == "pid" || entry.type == "time") {
      return absl::FailedPreconditionError(
          absl::StrCat("a thread cannot enter its ", entry.type,
                       " namespace (only a single-threaded process can)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<NamespaceView> CollectViewOnThread(const ResolvedTarget& target,
                                                  const ViewRequest& request) {
  // The same files a child enters: nsinspect's checked descriptors, by
  // /proc/NSINSPECT_PID/fd/N, which the worker opens before its first switch.
  gons::NamespaceSet set;
  for (reexec::Namespace& entry : NamespacesToEnter(target)) {
    absl::string_view type = entry.type;
    absl::ConsumePrefix(&type, "!");
    set.push_back({std::string(type), std::move(entry.path)});
  }
  // nsinspect's own /proc, opened here, before the worker switches: every
  // file the worker reads is looked up in it, never in the target's tree.
  const ProcDirectory proc = ProcDirectory::Open(/*confined=*/true);
  return RunInNamespaces(set, [&request, &proc] {
    return CollectView(request, Collector::kThread, proc);
  });
}

}  // namespace gons::nsinspect
