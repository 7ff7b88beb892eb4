// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: mount_view.h
// -----------------------------------------------------------------------------
//
// One mount of a mount table as nsinspect reports it (parsed from
// mountinfo by proc_parsers.h): where it is, its per-mount and superblock
// options and its propagation, with its JsonCodec.
//
// Example:
//
//   Mount mount{.mount_point = "/mnt", .type = "tmpfs"};
//   std::string json = gons::reexec::EncodeJson(mount);

#ifndef GONS_TOOLS_NSINSPECT_MOUNT_VIEW_H_
#define GONS_TOOLS_NSINSPECT_MOUNT_VIEW_H_

#include <string>
#include <tuple>

#include "reexec/json.h"
#include "tools/nsinspect/record_codec.h"

namespace gons::nsinspect {

// One line of /proc/self/mountinfo.
struct Mount {
  int id = 0;
  int parent_id = 0;
  std::string root;  // The mounted file system's directory shown here.
  std::string mount_point;
  std::string type;
  std::string source;
  std::string options;  // Per-mount options, such as "rw,nosuid".
  // The file system's own options, from the superblock ("rw,size=1024k",
  // "lowerdir=/a:/b,..."), with mountinfo's octal escapes decoded.
  std::string super_options;
  // As findmnt(8) writes its PROPAGATION: "shared" or "private", then
  // ",slave" when it receives from a master and ",unbindable".
  std::string propagation;
  int peer_group = 0;  // N of "shared:N"; 0 when not shared.
  int master = 0;      // N of "master:N"; 0 when not a slave.
};

// The JSON names of each struct's members, for RecordCodec (see
// record_codec.h). Thread-safe.
inline auto JsonFields(const Mount*) {
  return std::make_tuple(
      JsonField("id", &Mount::id), JsonField("parent_id", &Mount::parent_id),
      JsonField("root", &Mount::root),
      JsonField("mount_point", &Mount::mount_point),
      JsonField("type", &Mount::type), JsonField("source", &Mount::source),
      JsonField("options", &Mount::options),
      JsonField("super_options", &Mount::super_options),
      JsonField("propagation", &Mount::propagation),
      JsonField("peer_group", &Mount::peer_group),
      JsonField("master", &Mount::master));
}

}  // namespace gons::nsinspect

namespace gons::reexec {

template <>
struct JsonCodec<nsinspect::Mount> : nsinspect::RecordCodec<nsinspect::Mount> {
};

}  // namespace gons::reexec

#endif  // GONS_TOOLS_NSINSPECT_MOUNT_VIEW_H_
