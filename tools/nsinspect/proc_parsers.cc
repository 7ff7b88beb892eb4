// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/proc_parsers.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace gons::nsinspect {
namespace {

std::vector<absl::string_view> Lines(absl::string_view text) {
  return absl::StrSplit(text, '\n', absl::SkipWhitespace());
}

std::vector<absl::string_view> Words(absl::string_view line) {
  return absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
}

absl::Status Malformed(absl::string_view file, absl::string_view line,
                       absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat(file, ": malformed line \"", line, "\": ", why));
}

// The kernel writes space, tab, newline and backslash in mountinfo paths as
// a backslash and three octal digits.
std::string DecodeOctalEscapes(absl::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] >= '0' &&
        text[i + 1] <= '3' && text[i + 2] >= '0' && text[i + 2] <= '7' &&
        text[i + 3] >= '0' && text[i + 3] <= '7') {
      decoded.push_back(static_cast<char>((text[i + 1] - '0') * 64 +
                                          (text[i + 2] - '0') * 8 +
                                          (text[i + 3] - '0')));
      i += 3;
    } else {
      decoded.push_back(text[i]);
    }
  }
  return decoded;
}

}  // namespace

absl::StatusOr<std::vector<Mount>> ParseMountInfo(absl::string_view text) {
  constexpr absl::string_view kFile = "mountinfo";
  std::vector<Mount> mounts;
  for (absl::string_view line : Lines(text)) {
    // Fields are separated by exactly one space, and a field can be empty
    // (a mount whose source is ""), so empty pieces are kept.
    const std::vector<absl::string_view> words = absl::StrSplit(line, ' ');
    // Six fixed fields, optional fields, "-", then three more.
    std::size_t separator = 6;
    while (separator < words.size() && words[separator] != "-") ++separator;
    if (separator + 2 >= words.size()) {
      return Malformed(kFile, line,
                       "expected ID PARENT DEV ROOT POINT "
                       "OPTIONS [TAGS] - TYPE SOURCE OPTIONS");
    }
    Mount mount;
    if (!absl::SimpleAtoi(words[0], &mount.id) ||
        !absl::SimpleAtoi(words[1], &mount.parent_id)) {
      return Malformed(kFile, line, "mount IDs are not numbers");
    }
    mount.root = DecodeOctalEscapes(words[3]);
    mount.mount_point = DecodeOctalEscapes(words[4]);
    mount.options = std::string(words[5]);
    mount.type = std::string(words[separator + 1]);
    mount.source = DecodeOctalEscapes(words[separator + 2]);
    if (separator + 3 < words.size()) {
      mount.super_options = DecodeOctalEscapes(words[separator + 3]);
    }
    bool unbindable = false;
    for (std::size_t tag = 6; tag < separator; ++tag) {
      const absl::string_view word = words[tag];
      if (absl::StartsWith(word, "shared:")) {
        (void)absl::SimpleAtoi(word.substr(7), &mount.peer_group);
      } else if (absl::StartsWith(word, "master:")) {
        (void)absl::SimpleAtoi(word.substr(7), &mount.master);
      } else if (word == "unbindable") {
        unbindable = true;
      }
    }
    mount.propagation = mount.peer_group != 0 ? "shared" : "private";
    if (mount.master != 0) mount.propagation += ",slave";
    if (unbindable) mount.propagation += ",unbindable";
    mounts.push_back(std::move(mount));
  }
  return mounts;
}

absl::StatusOr<std::vector<IdMapping>> ParseIdMap(absl::string_view text) {
  std::vector<IdMapping> map;
  for (absl::string_view line : Lines(text)) {
    const std::vector<absl::string_view> words = Words(line);
    IdMapping mapping;
    if (words.size() != 3 || !absl::SimpleAtoi(words[0], &mapping.inside) ||
        !absl::SimpleAtoi(words[1], &mapping.outside) ||
        !absl::SimpleAtoi(words[2], &mapping.count)) {
      return Malformed("id map", line, "expected INSIDE OUTSIDE COUNT");
    }
    map.push_back(mapping);
  }
  return map;
}

absl::StatusOr<std::vector<CgroupMembership>> ParseCgroups(
    absl::string_view text) {
  std::vector<CgroupMembership> cgroups;
  for (absl::string_view line : Lines(text)) {
    // The path may itself contain ':', so split off only the first two.
    const std::vector<absl::string_view> parts =
        absl::StrSplit(line, absl::MaxSplits(':', 2));
    CgroupMembership membership;
    if (parts.size() != 3 ||
        !absl::SimpleAtoi(parts[0], &membership.hierarchy)) {
      return Malformed("cgroup", line, "expected HIERARCHY:CONTROLLERS:PATH");
    }
    membership.controllers = std::string(parts[1]);
    membership.path = std::string(parts[2]);
    cgroups.push_back(std::move(membership));
  }
  return cgroups;
}

absl::StatusOr<std::vector<IpcObject>> ParseSysvIpc(absl::string_view kind,
                                                    absl::string_view text) {
  const std::map<absl::string_view, std::pair<const char*, const char*>>
      kColumns = {{"shm", {"shmid", "size"}},
                  {"msg", {"msqid", "cbytes"}},
                  {"sem", {"semid", "nsems"}}};
  const auto columns = kColumns.find(kind);
  if (columns == kColumns.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown System V IPC kind \"", kind, "\""));
  }
  const std::string file = absl::StrCat("/proc/sysvipc/", kind);
  const std::vector<absl::string_view> lines = Lines(text);
  if (lines.empty()) return std::vector<IpcObject>();

  std::map<absl::string_view, std::size_t> position;
  const std::vector<absl::string_view> header = Words(lines[0]);
  for (std::size_t i = 0; i < header.size(); ++i) position[header[i]] = i;
  for (const char* name :
       {"key", columns->second.first, "perms", "uid", columns->second.second}) {
    if (position.count(name) == 0) {
      return Malformed(file, lines[0],
                       absl::StrCat("no column \"", name, "\""));
    }
  }

  std::vector<IpcObject> objects;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::vector<absl::string_view> words = Words(lines[i]);
    if (words.size() < header.size()) {
      return Malformed(file, lines[i], "fewer columns than the header");
    }
    IpcObject object;
    object.kind = std::string(kind);
    object.permissions = std::string(words[position["perms"]]);
    std::int64_t key = 0;
    if (!absl::SimpleAtoi(words[position["key"]], &key) ||
        !absl::SimpleAtoi(words[position[columns->second.first]], &object.id) ||
        !absl::SimpleAtoi(words[position["uid"]], &object.owner_uid) ||
        !absl::SimpleAtoi(words[position[columns->second.second]],
                          &object.size)) {
      return Malformed(file, lines[i], "a numeric column is not a number");
    }
    object.key = absl::StrFormat("0x%08x", static_cast<std::uint32_t>(key));
    objects.push_back(std::move(object));
  }
  return objects;
}

absl::StatusOr<std::vector<ClockOffset>> ParseTimeOffsets(
    absl::string_view text) {
  std::vector<ClockOffset> offsets;
  for (absl::string_view line : Lines(text)) {
    const std::vector<absl::string_view> words = Words(line);
    ClockOffset offset;
    if (words.size() != 3 || !absl::SimpleAtoi(words[1], &offset.seconds) ||
        !absl::SimpleAtoi(words[2], &offset.nanoseconds)) {
      return Malformed("timens_offsets", line,
                       "expected CLOCK SECONDS NANOSECONDS");
    }
    offset.clock = std::string(words[0]);
    offsets.push_back(std::move(offset));
  }
  return offsets;
}

}  // namespace gons::nsinspect
