// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: list_format.h
// -----------------------------------------------------------------------------
//
// The output of `nsinspect --list` and `--tree` (see discovery.h): a table
// with one namespace a line, one JSON document, or the user-namespace
// hierarchy with the namespaces each user namespace owns beneath it. What
// comes from processes and mount tables (commands, mount points) is escaped
// as escape.h says.
//
// Example:
//
//   NamespaceList list = DiscoverNamespaces();
//   std::cout << (tree ? FormatTree(list) : FormatList(list));

#ifndef GONS_TOOLS_NSINSPECT_LIST_FORMAT_H_
#define GONS_TOOLS_NSINSPECT_LIST_FORMAT_H_

#include <string>

#include "tools/nsinspect/discovery.h"

namespace gons::nsinspect {

// Returns the table: NS, TYPE, PROCS, PID, UID, OWNER (the owning user
// namespace), PARENT, COMMAND and HELD ALSO BY; then the notes, each on a
// line starting with "note: ". Thread-safe.
std::string FormatList(const NamespaceList& list);

// Returns {"namespaces": [...], "notes": [...]}, each namespace with the
// members of ListedNamespace, indented, valid UTF-8. Thread-safe.
std::string FormatListJson(const NamespaceList& list);

// Returns the tree: each user namespace, then beneath it the namespaces it
// owns (by type, then inode) and its child user namespaces. Namespaces whose
// owner the kernel does not tell (it is outside nsinspect's user namespace)
// are listed last under "owner not visible". Then the notes. Thread-safe.
std::string FormatTree(const NamespaceList& list);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_LIST_FORMAT_H_
