// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// nsinspect: reports what a process sees inside given namespaces (host and
// domain name, network interfaces and addresses, mount table, uid and gid
// maps, cgroups, System V IPC objects), as tables or JSON; and lists every
// namespace on the host (--list, --tree). See --help, and command_line.h
// for how arguments make targets.
//
// Exit status: 0 when every target was inspected (or the list printed), 1
// when at least one could not be (each such target gets one line on
// stderr; the others are still reported), 2 for a usage error.

#include <cstddef>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "reexec/reexec.h"
#include "tools/nsinspect/command_line.h"
#include "tools/nsinspect/discovery.h"
#include "tools/nsinspect/format.h"
#include "tools/nsinspect/inspect.h"
#include "tools/nsinspect/list_format.h"
#include "tools/nsinspect/target.h"
#include "tools/nsinspect/view.h"

namespace {

// Fills the type and a path of every `--inode N` entry from one scan of the
// host; an inode it did not find keeps an empty path, which ResolveTarget
// reports.
void LocateInodes(std::vector<gons::nsinspect::TargetSpec>& specs) {
  bool any = false;
  for (const gons::nsinspect::TargetSpec& spec : specs) {
    for (const gons::nsinspect::NamespacePath& entry : spec.paths) {
      any = any || entry.inode != 0;
    }
  }
  if (!any) return;
  const gons::nsinspect::NamespaceList list =
      gons::nsinspect::DiscoverNamespaces();
  for (gons::nsinspect::TargetSpec& spec : specs) {
    for (gons::nsinspect::NamespacePath& entry : spec.paths) {
      if (entry.inode == 0) continue;
      if (const gons::nsinspect::ListedNamespace* listed =
              gons::nsinspect::FindListed(list, entry.inode)) {
        entry.type = listed->type;
        entry.path = listed->path;
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  // In nsinspect's own re-executed children: collects a view and exits.
  gons::reexec::CheckAction();

  absl::StatusOr<gons::nsinspect::CommandLine> command_line =
      gons::nsinspect::ParseCommandLine(
          std::vector<std::string>(argv + 1, argv + argc));
  if (!command_line.ok()) {
    std::cerr << "nsinspect: " << command_line.status().message() << "\n";
    return 2;
  }
  if (command_line->help) {
    std::cout << gons::nsinspect::kUsage;
    return 0;
  }
  if (command_line->list || command_line->tree) {
    const gons::nsinspect::NamespaceList list =
        gons::nsinspect::DiscoverNamespaces();
    std::cout << (command_line->tree   ? gons::nsinspect::FormatTree(list)
                  : command_line->json ? gons::nsinspect::FormatListJson(list)
                                       : gons::nsinspect::FormatList(list));
    std::cout.flush();
    return std::cout.good() ? 0 : 1;
  }
  LocateInodes(command_line->targets);
  gons::nsinspect::InspectOptions options;
  options.timeout = command_line->timeout;
  options.via = command_line->via;
  options.parallel = command_line->parallel;
  // With --json, each target is formatted on the thread that inspected it,
  // while others are inspected, and only its label and status are kept.
  std::vector<gons::nsinspect::TargetReport> reports(
      command_line->targets.size());
  std::vector<std::string> pieces(command_line->json ? reports.size() : 0);
  gons::nsinspect::InspectTargets(
      command_line->targets, options,
      [&](std::size_t i, gons::nsinspect::TargetReport& report) {
        if (command_line->json) {
          pieces[i] = gons::nsinspect::JsonPiece(report, i);
          report.namespaces.clear();
          report.view = gons::nsinspect::NamespaceView();
        }
        reports[i] = std::move(report);
      });
  if (command_line->json) {
    gons::nsinspect::WriteJsonPieces(pieces, std::cout);
  } else {
    std::cout << gons::nsinspect::FormatTables(reports);
  }
  std::cout.flush();
  int exit_code = 0;
  for (const gons::nsinspect::TargetReport& report : reports) {
    if (report.status.ok()) continue;
    std::cerr << gons::nsinspect::ErrorLine(report) << "\n";
    exit_code = 1;
  }
  return std::cout.good() ? exit_code : 1;
}
