// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/format.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "rapidjson/stringbuffer.h"
#include "reexec/json.h"
#include "tools/nsinspect/escape.h"
#include "tools/nsinspect/inspect.h"
#include "tools/nsinspect/json_indent.h"
#include "tools/nsinspect/parallel_for.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {
namespace {

using Row = std::vector<std::string>;

std::string NamespacesLines(const TargetReport& report) {
  std::vector<std::string> entered;
  std::vector<std::string> shared;
  for (const TargetNamespace& entry : report.namespaces) {
    (entry.already_in ? shared : entered)
        .push_back(absl::StrCat(entry.type, ":", entry.id));
  }
  std::string text;
  if (!entered.empty()) {
    absl::StrAppend(&text, "entered:      ", absl::StrJoin(entered, " "), "\n");
  }
  if (!shared.empty()) {
    absl::StrAppend(&text, "not entered:  ", absl::StrJoin(shared, " "),
                    "  (nsinspect is in these already)\n");
  }
  return text;
}

std::string InterfacesTable(const std::vector<NetworkInterface>& interfaces) {
  std::vector<Row> rows = {
      {"INDEX", "NAME", "STATE", "MTU", "HARDWARE ADDRESS", "ADDRESSES"}};
  for (const NetworkInterface& interface : interfaces) {
    std::vector<std::string> addresses;
    for (const InterfaceAddress& address : interface.addresses) {
      addresses.push_back(
          absl::StrCat(address.address, "/", address.prefix_length,
                       address.label.empty()
                           ? ""
                           : absl::StrCat(" (label ", address.label, ")")));
    }
    rows.push_back(
        {absl::StrCat(interface.index), interface.name,
         interface.up ? (interface.carrier ? "up" : "up, no carrier") : "down",
         absl::StrCat(interface.mtu), interface.hardware_address,
         absl::StrJoin(addresses, " ")});
  }
  return AlignedTable(rows);
}

std::string MountsTable(const std::vector<Mount>& mounts) {
  std::vector<Row> rows = {{"MOUNT POINT", "TYPE", "SOURCE", "OPTIONS",
                            "PROPAGATION", "SUPER OPTIONS"}};
  for (const Mount& mount : mounts) {
    std::string propagation = mount.propagation;
    if (mount.peer_group != 0) {
      absl::StrAppend(&propagation, " (peer group ", mount.peer_group,
                      mount.master != 0 ? "," : ")");
    }
    if (mount.master != 0) {
      absl::StrAppend(&propagation, mount.peer_group != 0 ? " " : " (",
                      "master ", mount.master, ")");
    }
    rows.push_back({mount.mount_point, mount.type, mount.source, mount.options,
                    propagation, mount.super_options});
  }
  return AlignedTable(rows);
}

std::string IdMapText(const std::vector<IdMapping>& map) {
  std::vector<std::string> ranges;
  for (const IdMapping& mapping : map) {
    ranges.push_back(mapping.count == 1
                         ? absl::StrCat(mapping.inside, "->", mapping.outside)
                         : absl::StrCat(mapping.inside, "->", mapping.outside,
                                        " (", mapping.count, " ids)"));
  }
  return ranges.empty() ? "(none: no id is mapped)"
                        : absl::StrJoin(ranges, ", ");
}

std::string CgroupsText(const std::vector<CgroupMembership>& cgroups) {
  std::vector<std::string> lines;
  for (const CgroupMembership& cgroup : cgroups) {
    lines.push_back(EscapeForTable(absl::StrCat(
        cgroup.hierarchy, ":", cgroup.controllers, ":", cgroup.path)));
  }
  return absl::StrJoin(lines, "\n              ");
}

std::string IpcTable(const std::vector<IpcObject>& objects) {
  std::vector<Row> rows = {{"KIND", "KEY", "ID", "PERMS", "OWNER", "SIZE"}};
  for (const IpcObject& object : objects) {
    rows.push_back({object.kind, object.key, absl::StrCat(object.id),
                    object.permissions, absl::StrCat(object.owner_uid),
                    absl::StrCat(object.size)});
  }
  return AlignedTable(rows);
}

std::string PosixQueuesTable(const std::vector<PosixQueue>& queues) {
  const auto number = [](std::int64_t value) {
    return value < 0 ? std::string("-") : absl::StrCat(value);
  };
  std::vector<Row> rows = {
      {"NAME", "PERMS", "OWNER", "MAXMSG", "MSGSIZE", "MESSAGES", "BYTES"}};
  for (const PosixQueue& queue : queues) {
    rows.push_back({queue.name, queue.permissions,
                    absl::StrCat(queue.owner_uid), number(queue.max_messages),
                    number(queue.message_size), number(queue.messages),
                    number(queue.bytes)});
  }
  return AlignedTable(rows);
}

// One line or block of the view: `label`, then `text` or why that part was
// not read. Tables start on the next line.
std::string Part(const NamespaceView& view, const char* part,
                 absl::string_view label, absl::string_view text) {
  std::string line(label);
  line.resize(std::max<std::size_t>(line.size() + 1, 14), ' ');
  const auto error = view.errors.find(part);
  if (error != view.errors.end()) {
    return absl::StrCat(line, "(not read: ", EscapeForTable(error->second),
                        ")\n");
  }
  return absl::StrCat(absl::StartsWith(text, "\n") ? label : line, text, "\n");
}

std::string TargetTables(const TargetReport& report) {
  const NamespaceView& view = report.view;
  std::string text = absl::StrCat("=== ", EscapeForTable(report.label), "\n");
  absl::StrAppend(&text, NamespacesLines(report));
  absl::StrAppend(
      &text,
      Part(view, "uts", "host name:", EscapeForTable(view.uts.host_name)),
      Part(view, "uts", "domain name:", EscapeForTable(view.uts.domain_name)));
  absl::StrAppend(&text,
                  Part(view, "uid_map", "uid map:", IdMapText(view.uid_map)),
                  Part(view, "gid_map", "gid map:", IdMapText(view.gid_map)),
                  Part(view, "cgroups", "cgroups:", CgroupsText(view.cgroups)),
                  Part(view, "host_cgroups",
                       "host cgroups:", CgroupsText(view.host_cgroups)));
  if (!view.time_offsets.empty()) {
    std::vector<std::string> clocks;
    for (const ClockOffset& offset : view.time_offsets) {
      clocks.push_back(
          absl::StrCat(EscapeForTable(offset.clock), " +", offset.seconds, ".",
                       absl::StrFormat("%09d", offset.nanoseconds), "s"));
    }
    absl::StrAppend(&text, Part(view, "time_offsets",
                                "time offsets:", absl::StrJoin(clocks, ", ")));
  }
  absl::StrAppend(&text, Part(view, "interfaces",
                              "interfaces:", InterfacesTable(view.interfaces)));
  absl::StrAppend(
      &text,
      Part(view, "ipc_objects", "System V IPC objects:",
           view.ipc_objects.empty() ? "none" : IpcTable(view.ipc_objects)),
      Part(view, "posix_queues", "POSIX message queues:",
           view.posix_queues.empty() ? "none"
                                     : PosixQueuesTable(view.posix_queues)));
  // Last: the longest part, with the view it shows.
  if (const auto source = view.sources.find("mounts");
      source != view.sources.end()) {
    absl::StrAppend(&text, "mounts from:  ", EscapeForTable(source->second),
                    "\n");
  }
  absl::StrAppend(&text,
                  Part(view, "mounts", "mounts:", MountsTable(view.mounts)));
  return text;
}

void EncodeTarget(const TargetReport& report, reexec::JsonWriter& writer) {
  writer.StartObject();
  writer.Key("target");
  reexec::JsonCodec<std::string>::Encode(report.label, writer);
  writer.Key("ok");
  writer.Bool(report.status.ok());
  if (!report.status.ok()) {
    writer.Key("error");
    writer.StartObject();
    writer.Key("code");
    writer.String(absl::StatusCodeToString(report.status.code()).c_str());
    writer.Key("message");
    reexec::JsonCodec<std::string>::Encode(std::string(report.status.message()),
                                           writer);
    writer.EndObject();
    writer.EndObject();
    return;
  }
  writer.Key("namespaces");
  writer.StartArray();
  for (const TargetNamespace& entry : report.namespaces) {
    writer.StartObject();
    writer.Key("type");
    reexec::JsonCodec<std::string>::Encode(entry.type, writer);
    writer.Key("path");
    reexec::JsonCodec<std::string>::Encode(entry.path, writer);
    writer.Key("id");
    writer.Uint64(entry.id);
    writer.Key("entered");
    writer.Bool(!entry.already_in);
    writer.EndObject();
  }
  writer.EndArray();
  writer.Key("view");
  reexec::JsonCodec<NamespaceView>::Encode(report.view, writer);
  writer.EndObject();
}

}  // namespace

std::string AlignedTable(std::vector<std::vector<std::string>> rows) {
  for (std::vector<std::string>& row : rows) {
    for (std::string& cell : row) cell = EscapeForTable(cell);
  }
  std::vector<std::size_t> widths;
  for (const std::vector<std::string>& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  std::string text;
  for (const std::vector<std::string>& row : rows) {
    std::string line = " ";
    for (std::size_t i = 0; i < row.size(); ++i) {
      absl::StrAppend(&line, " ", row[i]);
      if (i + 1 < row.size()) line.append(widths[i] - row[i].size() + 1, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    absl::StrAppend(&text, "\n", line);
  }
  return text;
}

std::string FormatTables(const std::vector<TargetReport>& reports) {
  std::vector<std::string> blocks;
  for (const TargetReport& report : reports) {
    if (report.status.ok()) blocks.push_back(TargetTables(report));
  }
  return absl::StrJoin(blocks, "\n");
}

std::string JsonPiece(const TargetReport& report, std::size_t index) {
  rapidjson::StringBuffer compact;
  reexec::JsonWriter writer(compact);
  EncodeTarget(report, writer);
  // The object as it stands in the document, two levels deep.
  std::string piece;
  piece.reserve(2 * compact.GetSize());  // Indentation about doubles it.
  piece.append(index == 0 ? "{\n  \"targets\": [\n    " : ",\n    ");
  if (!AppendIndentedJson(
          absl::string_view(compact.GetString(), compact.GetSize()),
          /*depth=*/2, &piece)) {
    return std::string();  // Not reached: the writer wrote compact JSON.
  }
  return piece;
}

void WriteJsonPieces(const std::vector<std::string>& pieces,
                     std::ostream& out) {
  if (pieces.empty()) {
    out << "{\n  \"targets\": []\n}\n";
    return;
  }
  for (const std::string& piece : pieces) {
    if (piece.empty()) return;  // As IndentedValidJson refuses.
  }
  // Piece by piece: over many targets the document is megabytes, not
  // worth copying into one string first.
  for (const std::string& piece : pieces) out << piece;
  out << "\n  ]\n}\n";
}

std::string FormatJson(const std::vector<TargetReport>& reports, int parallel) {
  std::vector<std::string> pieces(reports.size());
  ForEachIndexInParallel(reports.size(), parallel, [&](std::size_t i) {
    pieces[i] = JsonPiece(reports[i], i);
  });
  std::ostringstream out;
  WriteJsonPieces(pieces, out);
  return out.str();
}

std::string IndentedValidJson(absl::string_view compact) {
  std::string indented;
  indented.reserve(2 * compact.size());
  if (!AppendIndentedJson(compact, /*depth=*/0, &indented)) return {};
  indented.push_back('\n');
  return indented;
}

std::string ErrorLine(const TargetReport& report) {
  return absl::StrCat("nsinspect: ", EscapeForTable(report.label), ": ",
                      EscapeForTable(report.status.message()));
}

}  // namespace gons::nsinspect
