// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

// The parent's side of an action: the child's environment, its launch and
// the evaluation of its outcome. The child's side is in child_action.cc,
// the result's writing in result_output.cc.

#include "reexec/reexec.h"

#include <sys/auxv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gons/environment.h"
#include "gons/namespace_types.h"
#include "rapidjson/document.h"
#include "reexec/child_process.h"
#include "reexec/failure_channel.h"
#include "reexec/fork_server.h"
#include "reexec/host_program.h"
#include "reexec/json.h"
#include "reexec/options.h"
#include "reexec/param_announcement.h"
#include "reexec/printable.h"
#include "reexec/registry.h"

namespace gons::reexec {
namespace internal {
namespace {

// The program's own file name, for the child's argv[0].
const std::string& ProgramName() {
  // Not from /proc/self/exe: after a switch that may be a container's.
  static const std::string* name =
      new std::string(program_invocation_short_name != nullptr &&
                              program_invocation_short_name[0] != '\0'
                          ? program_invocation_short_name
                          : "gons");
  return *name;
}

absl::Status Failure(absl::StatusCode code, absl::string_view name,
                     absl::string_view what, const ChildOutcome* outcome) {
  std::string message = absl::StrCat("reexec action \"", name, "\": ", what);
  if (outcome != nullptr && outcome->standard_error.total_size() > 0) {
    absl::StrAppend(&message, "; child stderr: ",
                    PrintableText(absl::StripTrailingAsciiWhitespace(
                        outcome->standard_error.Render())));
  }
  return absl::Status(code, message);
}

// Checks Namespaces(...) and turns them into gons_* entries and gons_order.
absl::StatusOr<std::vector<std::string>> NamespaceVariables(
    const std::vector<Namespace>& namespaces) {
  std::vector<std::string> variables;
  std::vector<std::string> order;
  bool seen[kNumNamespaceTypes] = {};
  for (const Namespace& entry : namespaces) {
    const bool early = !entry.type.empty() && entry.type[0] == '!';
    const absl::string_view type =
        absl::string_view(entry.type).substr(early ? 1 : 0);
    const int index = FindNamespaceTypeIndex(type.data(), type.size());
    if (index < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Namespaces: unknown namespace type \"", entry.type,
          "\" (expected user, mnt, cgroup, ipc, net, pid, uts or time, "
          "optionally prefixed by '!')"));
    }
    if (seen[index]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Namespaces: namespace type \"", type, "\" listed more than once"));
    }
    if (entry.path.find('\0') != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Namespaces: the path for \"", type, "\" contains a NUL byte"));
    }
    if (entry.path.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Namespaces: empty path for \"", entry.type, "\""));
    }
    seen[index] = true;
    variables.push_back(
        absl::StrCat(kNamespaceTypes[index].variable, "=", entry.path));
    order.push_back(entry.type);
  }
  // Always explicit: an unset gons_order would mean the default order.
  // Tolerant, as the default is: the child joins what nsenter would join,
  // in the caller's order otherwise (see gons/order.h).
  variables.push_back(absl::StrCat(kOrderVariable, "=", kTolerantPrefix,
                                   absl::StrJoin(order, ",")));
  return variables;
}

// Whether the environment entry `entry` (NAME=VALUE) is one of `names`, or
// has the name of one of `entries`.
bool NamedIn(absl::string_view entry, const std::vector<std::string>& names,
             const std::vector<std::string>& entries) {
  const absl::string_view name = entry.substr(0, entry.find('='));
  for (const std::string& candidate : names) {
    if (name == candidate) return true;
  }
  for (const std::string& candidate : entries) {
    if (name == absl::string_view(candidate).substr(0, candidate.find('='))) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<std::vector<std::string>> ChildEnvironment(
    absl::string_view name, const Invocation& invocation,
    const ChildLaunchSettings& settings) {
  std::vector<std::string> environment;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    if (!absl::StartsWith(*entry, kVariablePrefix) &&
        !NamedIn(*entry, settings.removed_variables, settings.set_variables)) {
      environment.emplace_back(*entry);
    }
  }
  environment.insert(environment.end(), settings.set_variables.begin(),
                     settings.set_variables.end());
  for (const std::string& entry : invocation.environment) {
    if (entry.find('\0') != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Environment: \"", PrintableText(entry), "\" contains a NUL byte"));
    }
    const std::size_t equals = entry.find('=');
    if (equals == 0 || equals == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Environment: \"", entry, "\" is not of the form NAME=VALUE"));
    }
    if (absl::StartsWith(entry, kVariablePrefix)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Environment: \"", entry.substr(0, equals),
          "\" is set by the runner itself; use Namespaces() for namespaces"));
    }
    // The last entry of a name wins, as with exec.Cmd in Go: earlier
    // ones, inherited or given, are dropped.
    const absl::string_view entry_name =
        absl::string_view(entry).substr(0, equals + 1);
    environment.erase(std::remove_if(environment.begin(), environment.end(),
                                     [&](const std::string& earlier) {
                                       return absl::StartsWith(earlier,
                                                               entry_name);
                                     }),
                      environment.end());
    environment.push_back(entry);
  }
  absl::StatusOr<std::vector<std::string>> namespaces =
      NamespaceVariables(invocation.namespaces);
  if (!namespaces.ok()) return namespaces.status();
  environment.insert(environment.end(), namespaces->begin(), namespaces->end());
  environment.push_back(absl::StrCat(kReexecActionVariable, "=", name));
  environment.push_back(
      absl::StrCat(kFailureChannelVariable, "=", kFailureChannelDescriptor));
  return environment;
}

// The status for the child's own failure, as it reported it on the
// failure channel: its code, and its message escaped.
absl::Status ReportedFailure(absl::string_view name,
                             const ChildFailure& failure,
                             const ChildOutcome& outcome) {
  switch (failure.kind) {
    case ChildFailureKind::kSwitchFailed:
      return Failure(
          failure.code, name,
          absl::StrCat("the child could not enter the requested namespaces, "
                       "so the action did not run: ",
                       PrintableText(failure.message)),
          &outcome);
    case ChildFailureKind::kUnknownAction:
      return Failure(
          failure.code, name,
          absl::StrCat("the child does not know this action: register it "
                       "during static initialization, before CheckAction() "
                       "runs (the child: ",
                       PrintableText(failure.message), ")"),
          &outcome);
  }
  return absl::InternalError("unreachable");  // The switch covers each kind.
}

// Consumes outcome.standard_output (the result is decoded in place).
absl::Status Evaluate(absl::string_view name, const Invocation& invocation,
                      ChildOutcome& outcome) {
  if (invocation.standard_error != nullptr) {
    *invocation.standard_error = outcome.standard_error.Render();
  }
  if (outcome.output_limit_exceeded) {
    return Failure(
        absl::StatusCode::kResourceExhausted, name,
        absl::StrCat("the child wrote more than ", invocation.max_result_size,
                     " bytes to stdout (MaxResultSize()); it was "
                     "killed"),
        &outcome);
  }
  if (outcome.timed_out) {
    return Failure(absl::StatusCode::kDeadlineExceeded, name,
                   absl::StrCat("no result within the timeout of ",
                                absl::FormatDuration(invocation.timeout),
                                "; the child was killed"),
                   &outcome);
  }
  // Before the exit status: a child that reported its own failure ran no
  // action, whatever it exited with.
  absl::StatusOr<std::optional<ChildFailure>> reported =
      ParseFailureRecord(outcome.failure_record);
  if (!reported.ok()) {
    return Failure(reported.status().code(), name, reported.status().message(),
                   &outcome);
  }
  if (reported->has_value()) {
    return ReportedFailure(name, **reported, outcome);
  }
  if (outcome.signal != 0 && !outcome.killed_after_result) {
    return Failure(
        absl::StatusCode::kAborted, name,
        absl::StrCat("the child was killed by signal ", outcome.signal, " (SIG",
                     sigabbrev_np(outcome.signal) != nullptr
                         ? sigabbrev_np(outcome.signal)
                         : "?",
                     ")"),
        &outcome);
  }
  if (outcome.exit_code > 0) {
    return Failure(
        absl::StatusCode::kUnknown, name,
        absl::StrCat("the child exited with status ", outcome.exit_code),
        &outcome);
  }
  const std::size_t param_size = outcome.input_size;
  if (outcome.input_written < param_size) {
    return Failure(
        absl::StatusCode::kAborted, name,
        absl::StrCat("the child stopped reading its param after ",
                     outcome.input_written, " of ", param_size, " bytes (",
                     std::strerror(outcome.input_error), ")"),
        &outcome);
  }
  if (!invocation.decode_result) return absl::OkStatus();
  if (absl::StripAsciiWhitespace(outcome.standard_output).empty()) {
    return Failure(absl::StatusCode::kDataLoss, name,
                   "the child exited 0 but wrote no result to stdout",
                   &outcome);
  }
  std::string original;  // Only for a RawJson result.
  if (invocation.decode_result_wants_original) {
    original = outcome.standard_output;
  }
  rapidjson::Document document;
  if (absl::Status status =
          ParseJsonInPlace(&outcome.standard_output, &document);
      !status.ok()) {
    return Failure(absl::StatusCode::kDataLoss, name,
                   absl::StrCat("its result is ", status.message()), &outcome);
  }
  if (absl::Status status = invocation.decode_result(
          document, invocation.decode_result_wants_original
                        ? &original
                        : &outcome.standard_output);
      !status.ok()) {
    return Failure(
        status.code(), name,
        absl::StrCat("its result does not decode: ", status.message()),
        &outcome);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunInvocation(absl::string_view name, Invocation invocation) {
  if (getauxval(AT_SECURE) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "RunReexecAction(\"", name,
        "\"): this program runs set-user-ID, set-group-ID or with file "
        "capabilities (AT_SECURE), where the re-execution protocol is "
        "ignored: the caller chooses its environment"));
  }
  if (std::optional<std::string> running = ChildAction()) {
    return absl::FailedPreconditionError(
        absl::StrCat("RunReexecAction(\"", name,
                     "\") called inside the re-executed child "
                     "of action \"",
                     *running, "\"; a child runs one action and exits"));
  }
  if (!ActionChecked()) {
    return absl::FailedPreconditionError(
        absl::StrCat("RunReexecAction(\"", name,
                     "\") needs gons::reexec::CheckAction() "
                     "to be called first thing in main() (tests: link "
                     "//testing:gtest_main)"));
  }
  if (name.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "RunReexecAction: the action name contains a NUL byte");
  }
  if (!FindAction(name).has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "RunReexecAction: no action is registered as \"", name,
        "\"; register it with gons::reexec::Register() during static "
        "initialization"));
  }
  if (!invocation.option_error.ok()) return invocation.option_error;
  const ChildLaunchSettings settings = GetChildLaunchSettings();
  absl::StatusOr<std::vector<std::string>> environment =
      ChildEnvironment(name, invocation, settings);
  if (!environment.ok()) return environment.status();

  // Both act before the child enters any namespace. LD_BIND_NOW: the
  // dynamic loader binds every symbol of every library at start, so that
  // none is bound lazily in the namespaces entered (the program itself is
  // linked with -z now; Debian's libstdc++ is not). It costs a child about
  // a tenth of a millisecond, so only a child that enters one pays. The
  // other is read by child_start.cc.
  if (!invocation.namespaces.empty()) environment->push_back("LD_BIND_NOW=1");
  if (!invocation.dumpable) {
    environment->push_back(absl::StrCat(kReexecDumpableVariable, "=0"));
  }
  if (invocation.param && !invocation.param->empty()) {
    environment->push_back(
        absl::StrCat(kParamSizeVariable, "=", invocation.param->size()));
  }

  ChildRequest request;
  request.passed_descriptor = settings.passed_descriptor;
  // The host's binary, opened before any namespace switch; the path only
  // when /proc was missing at start (and is then likely missing now).
  request.executable_fd = HostProgramDescriptor();
  request.executable = "/proc/self/exe";
  request.argv = {absl::StrCat(ProgramName(), " [reexec ", name, "]")};
  request.environment = *std::move(environment);
  if (invocation.param) request.standard_input = *std::move(invocation.param);
  request.timeout = invocation.timeout;
  if (invocation.decode_result) {
    request.result_complete = IsCompleteJson;
  }
  request.standard_output_limit = invocation.max_result_size;
  request.die_with_parent = invocation.die_with_parent;
  request.failure_channel = true;
  if (invocation.fork_server) request.start = StartForkedCopy;
  // No exception escapes: the child's owner has killed and reaped it by
  // the time one reaches here.
  try {
    absl::StatusOr<ChildOutcome> outcome = RunChild(std::move(request));
    if (!outcome.ok()) {
      return absl::Status(outcome.status().code(),
                          absl::StrCat("reexec action \"", name,
                                       "\": running the child failed: ",
                                       outcome.status().message()));
    }
    return Evaluate(name, invocation, *outcome);
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(
        absl::StrCat("reexec action \"", name,
                     "\": out of memory; the child was killed and reaped"));
  }
}

}  // namespace internal
}  // namespace gons::reexec
