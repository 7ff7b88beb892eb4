// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/command_line.h"

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "tools/nsinspect/target.h"

namespace gons::nsinspect {

const char kUsage[] =
    R"(usage: nsinspect [--json] [--timeout SECONDS] [--via HOW] TARGET...
       nsinspect --list [--json]
       nsinspect --tree

Reports what a process sees inside namespaces: host and domain name, network
interfaces and addresses, mount table, uid and gid maps, cgroups and System V
IPC objects. Targets are inspected concurrently, each by code
of nsinspect that enters the target's namespaces (see --via).

Targets:
  --pid PID        all namespaces of process PID (/proc/PID/ns/*)
  --net PATH       a namespace file, such as /proc/PID/ns/net or
  --mnt PATH       /run/netns/NAME; options of this kind that follow each
  --uts PATH       other make one target, until a --pid or a type given
  --user PATH      a second time starts the next
  --ipc PATH
  --cgroup PATH
  --time PATH
  --netns NAME     the named network namespace /run/netns/NAME
  --inode N        the namespace whose inode is N, as --list shows it (found
                   by a scan of the host); it joins the namespace files
                   around it in one target, such as --inode U --inode N for
                   a user namespace and a net namespace it owns

Discovery:
  --list           every namespace nsinspect can see on the host: of every
                   process and thread, bind-mounted (nsfs) in every mount
                   table it can read, or held by an open descriptor; with
                   its owning user namespace, parent, owner uid, process
                   count, lowest PID and its command
  --tree           the user-namespace hierarchy, with what each one owns

Options:
  --json           one JSON document instead of tables
  --timeout SECS   give up on a target after SECS seconds (default 30): its
                   child is killed; the thread path has no read that can
                   wait on the target, so it needs no limit
  --parallel N     inspect up to N targets at once (default 4, at most 256)
  --via HOW        how each target is looked into:
                   auto         (default) a thread of nsinspect for targets
                                that enter only net, uts, ipc, cgroup and mnt
                                namespaces, when nsinspect has CAP_SYS_ADMIN;
                                the fork server for the others
                   thread       a worker thread that enters the namespaces
                                (it reads files through nsinspect's own
                                /proc); a target with a user, pid or time
                                namespace to enter fails
                   fork-server  a copy forked by a warm helper process
                   spawn        a re-executed child of nsinspect per target
  --help           this text

Namespaces that nsinspect is already in are not entered again. A target that
cannot be inspected gets a one-line error on stderr naming it; the others are
still reported, and the exit status is 1. Usage errors exit with status 2.
)";

namespace {

// The options that name a namespace file, with their type.
std::optional<std::string> PathOptionType(const std::string& option) {
  for (const char* type :
       {"net", "mnt", "uts", "user", "ipc", "cgroup", "time"}) {
    if (option == absl::StrCat("--", type)) return std::string(type);
  }
  if (option == "--netns") return std::string("net");
  return std::nullopt;
}

bool TakesValue(const std::string& option) {
  return option == "--pid" || option == "--timeout" || option == "--inode" ||
         option == "--via" || option == "--parallel" ||
         PathOptionType(option).has_value();
}

class Parser {
 public:
  absl::Status Add(const std::string& option, const std::string& value) {
    if (option == "--pid") {
      // SimpleAtoi alone would take " 12" and "+7": only digits are a PID.
      pid_t pid = 0;
      if (value.empty() || value.size() > 10 ||
          value.find_first_not_of("0123456789") != std::string::npos ||
          !absl::SimpleAtoi(value, &pid) || pid <= 0) {
        return Invalid(option, value, "is not a process ID");
      }
      FinishPathTarget();
      result_.targets.push_back(PidTarget(pid));
      return absl::OkStatus();
    }
    if (option == "--inode") {
      std::uint64_t inode = 0;
      if (value.empty() || value.size() > 20 ||
          value.find_first_not_of("0123456789") != std::string::npos ||
          !absl::SimpleAtoi(value, &inode) || inode == 0) {
        return Invalid(option, value, "is not an inode number");
      }
      NamespacePath entry;
      entry.inode = inode;
      current_.paths.push_back(std::move(entry));
      labels_.push_back(absl::StrCat(option, " ", value));
      return absl::OkStatus();
    }
    if (option == "--timeout") {
      double seconds = 0;
      if (!absl::SimpleAtod(value, &seconds) || !(seconds > 0)) {
        return Invalid(option, value, "is not a positive number of seconds");
      }
      result_.timeout = absl::Seconds(seconds);
      return absl::OkStatus();
    }
    if (option == "--parallel") {
      int parallel = 0;
      if (value.empty() || value.size() > 3 ||
          value.find_first_not_of("0123456789") != std::string::npos ||
          !absl::SimpleAtoi(value, &parallel) || parallel < 1 ||
          parallel > 256) {
        return Invalid(option, value, "is not a number from 1 to 256");
      }
      result_.parallel = parallel;
      return absl::OkStatus();
    }
    if (option == "--via") {
      absl::StatusOr<Via> via = ParseVia(value);
      if (!via.ok()) return via.status();
      result_.via = *via;
      return absl::OkStatus();
    }
    const std::string type = *PathOptionType(option);
    std::string path = value;
    if (option == "--netns") {
      if (value.empty() || absl::StrContains(value, '/')) {
        return Invalid(option, value, "is not a network namespace name");
      }
      path = absl::StrCat("/run/netns/", value);
    }
    if (value.empty()) return Invalid(option, value, "needs a path");
    bool type_given = false;
    for (const NamespacePath& given : current_.paths) {
      type_given = type_given || given.type == type;
    }
    if (type_given) FinishPathTarget();
    current_.paths.push_back({type, path});
    labels_.push_back(absl::StrCat(option, " ", value));
    return absl::OkStatus();
  }

  void SetJson() { result_.json = true; }
  void SetList() { result_.list = true; }
  void SetTree() { result_.tree = true; }
  void SetHelp() { result_.help = true; }

  absl::StatusOr<CommandLine> Finish() {
    FinishPathTarget();
    if ((result_.list || result_.tree) && !result_.targets.empty()) {
      return absl::InvalidArgumentError(
          "--list and --tree take no target (inspect one afterwards with "
          "--inode N)");
    }
    if (result_.tree && result_.json) {
      return absl::InvalidArgumentError(
          "--tree has no JSON form: --list --json has the same relations");
    }
    if (result_.list || result_.tree) return result_;
    if (result_.targets.empty() && !result_.help) {
      return absl::InvalidArgumentError(
          "no target: give --pid PID or namespace files such as --net PATH "
          "(see --help)");
    }
    return result_;
  }

 private:
  static absl::Status Invalid(const std::string& option,
                              const std::string& value, const char* why) {
    return absl::InvalidArgumentError(
        absl::StrCat(option, " \"", value, "\" ", why));
  }

  void FinishPathTarget() {
    if (current_.paths.empty()) return;
    current_.label = absl::StrJoin(labels_, " ");
    result_.targets.push_back(std::move(current_));
    current_ = TargetSpec();
    labels_.clear();
  }

  CommandLine result_;
  TargetSpec current_;
  std::vector<std::string> labels_;
};

}  // namespace

absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& arguments) {
  Parser parser;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    std::string option = arguments[i];
    std::optional<std::string> value;
    if (const std::size_t equals = option.find('=');
        absl::StartsWith(option, "--") && equals != std::string::npos) {
      value = option.substr(equals + 1);
      option.resize(equals);
    }
    if (option == "--json" || option == "--help" || option == "-h" ||
        option == "--list" || option == "--tree") {
      if (value.has_value()) {
        return absl::InvalidArgumentError(
            absl::StrCat(option, " takes no value"));
      }
      if (option == "--json") {
        parser.SetJson();
      } else if (option == "--list") {
        parser.SetList();
      } else if (option == "--tree") {
        parser.SetTree();
      } else {
        parser.SetHelp();
      }
      continue;
    }
    if (!TakesValue(option)) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown argument \"", arguments[i], "\" (see --help)"));
    }
    if (!value.has_value()) {
      if (i + 1 == arguments.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat(option, " needs a value"));
      }
      value = arguments[++i];
    }
    if (absl::Status status = parser.Add(option, *value); !status.ok()) {
      return status;
    }
  }
  return parser.Finish();
}

}  // namespace gons::nsinspect
