// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/list_format.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "gons/namespace_types.h"
#include "reexec/json.h"
#include "tools/nsinspect/discovery.h"
#include "tools/nsinspect/escape.h"
#include "tools/nsinspect/format.h"

namespace gons::nsinspect {
namespace {

std::string InodeOrDash(std::uint64_t inode) {
  return inode == 0 ? "-" : absl::StrCat(inode);
}

// Commands are long (a compiler's); the table and tree show their start,
// JSON all of it.
constexpr std::size_t kCommandShown = 60;

std::string ShortCommand(const std::string& command) {
  if (command.size() <= kCommandShown) return command;
  return absl::StrCat(command.substr(0, kCommandShown), "...");
}

std::string Holders(const ListedNamespace& listed) {
  std::string text = absl::StrJoin(listed.holders, ", ");
  if (listed.holders_left_out > 0) {
    absl::StrAppend(&text, " and ", listed.holders_left_out, " more");
  }
  return text;
}

std::string Notes(const NamespaceList& list) {
  std::string text;
  for (const std::string& note : list.notes) {
    absl::StrAppend(&text, "note: ", EscapeForTable(note), "\n");
  }
  return text;
}

int TypeOrder(const std::string& type) {
  return FindNamespaceTypeIndex(type.data(), type.size());
}

// One line of the tree, without its branch.
std::string Describe(const ListedNamespace& listed) {
  std::string text = absl::StrCat(listed.type, " ", listed.inode);
  if (listed.type == "user" && listed.owner_uid >= 0) {
    absl::StrAppend(&text, "  uid ", listed.owner_uid);
  }
  if (listed.type == "pid" && listed.parent_namespace != 0) {
    absl::StrAppend(&text, "  parent ", listed.parent_namespace);
  }
  if (listed.processes > 0) {
    absl::StrAppend(&text, "  ", listed.processes,
                    listed.processes == 1 ? " process" : " processes",
                    ", lowest PID ", listed.lowest_pid, " ",
                    EscapeForTable(ShortCommand(listed.command)));
  }
  if (!listed.holders.empty()) {
    absl::StrAppend(&text, "  held by ", EscapeForTable(Holders(listed)));
  }
  return text;
}

class Tree {
 public:
  explicit Tree(const NamespaceList& list) {
    std::set<std::uint64_t> users;
    for (const ListedNamespace& listed : list.namespaces) {
      if (listed.type == "user") users.insert(listed.inode);
    }
    for (const ListedNamespace& listed : list.namespaces) {
      const bool owner_listed = users.count(listed.owner_namespace) > 0;
      if (owner_listed) {
        children_[listed.owner_namespace].push_back(&listed);
      } else if (listed.type == "user") {
        roots_.push_back(&listed);
      } else {
        unowned_.push_back(&listed);
      }
    }
    for (auto& [owner, children] : children_) Sort(children);
    Sort(unowned_);
  }

  std::string Draw() {
    std::string text;
    for (const ListedNamespace* root : roots_) {
      absl::StrAppend(&text, Describe(*root), "\n");
      DrawChildren(root->inode, "", &text);
    }
    if (!unowned_.empty()) {
      absl::StrAppend(
          &text, "owner not visible (outside nsinspect's user namespace)\n");
      DrawList(unowned_, "", &text);
    }
    return text;
  }

 private:
  // The owned namespaces first, by type order, then the child user
  // namespaces, each by inode.
  static void Sort(std::vector<const ListedNamespace*>& entries) {
    std::sort(entries.begin(), entries.end(),
              [](const ListedNamespace* a, const ListedNamespace* b) {
                const bool a_user = a->type == "user";
                const bool b_user = b->type == "user";
                if (a_user != b_user) return b_user;
                if (a->type != b->type) {
                  return TypeOrder(a->type) < TypeOrder(b->type);
                }
                return a->inode < b->inode;
              });
  }

  void DrawChildren(std::uint64_t owner, const std::string& indent,
                    std::string* text) {
    // The kernel forbids cycles, but what it tells is read at different
    // moments: never draw a user namespace twice.
    if (!drawn_.insert(owner).second) return;
    const auto children = children_.find(owner);
    if (children == children_.end()) return;
    DrawList(children->second, indent, text);
  }

  void DrawList(const std::vector<const ListedNamespace*>& entries,
                const std::string& indent, std::string* text) {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const bool last = i + 1 == entries.size();
      absl::StrAppend(text, indent, last ? "\u2514\u2500 " : "\u251c\u2500 ",
                      Describe(*entries[i]), "\n");
      if (entries[i]->type == "user") {
        DrawChildren(entries[i]->inode,
                     absl::StrCat(indent, last ? "   " : "\u2502  "), text);
      }
    }
  }

  std::map<std::uint64_t, std::vector<const ListedNamespace*>> children_;
  std::vector<const ListedNamespace*> roots_;
  std::vector<const ListedNamespace*> unowned_;
  std::set<std::uint64_t> drawn_;
};

}  // namespace

std::string FormatList(const NamespaceList& list) {
  std::vector<std::vector<std::string>> rows = {{"NS", "TYPE", "PROCS", "PID",
                                                 "UID", "OWNER", "PARENT",
                                                 "COMMAND", "HELD ALSO BY"}};
  for (const ListedNamespace& listed : list.namespaces) {
    rows.push_back(
        {absl::StrCat(listed.inode), listed.type,
         absl::StrCat(listed.processes),
         listed.lowest_pid == 0 ? "-" : absl::StrCat(listed.lowest_pid),
         listed.owner_uid < 0 ? "-" : absl::StrCat(listed.owner_uid),
         InodeOrDash(listed.owner_namespace),
         InodeOrDash(listed.parent_namespace),
         listed.command.empty() ? "-" : ShortCommand(listed.command),
         Holders(listed)});
  }
  // AlignedTable starts each line with a newline and two spaces.
  std::string table = AlignedTable(rows);
  std::string text;
  for (absl::string_view line :
       absl::StrSplit(table, '\n', absl::SkipEmpty())) {
    absl::StrAppend(&text, absl::StripPrefix(line, "  "), "\n");
  }
  return absl::StrCat(text, Notes(list));
}

std::string FormatListJson(const NamespaceList& list) {
  // Made valid before encoding too, whatever the encoder's policy on
  // invalid UTF-8 is.
  NamespaceList valid = list;
  for (ListedNamespace& listed : valid.namespaces) {
    listed.command = ToValidUtf8(listed.command);
    listed.path = ToValidUtf8(listed.path);
    for (std::string& holder : listed.holders) holder = ToValidUtf8(holder);
  }
  for (std::string& note : valid.notes) note = ToValidUtf8(note);
  return IndentedValidJson(reexec::EncodeJson(valid));
}

std::string FormatTree(const NamespaceList& list) {
  return absl::StrCat(Tree(list).Draw(), Notes(list));
}

}  // namespace gons::nsinspect
