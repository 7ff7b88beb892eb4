// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "gons/gons.h"

#include <linux/capability.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "gons/environment.h"
#include "gons/namespace_types.h"
#include "gons/record_status.h"
#include "gons/startup_record.h"
#include "gons/switcher.h"

namespace gons {
namespace internal {
namespace {

// Values come from the environment and may be arbitrarily long; messages
// quote at most this much of one.
constexpr std::size_t kMaxQuoted = 200;

std::string Quote(absl::string_view text) {
  if (text.size() <= kMaxQuoted) return absl::StrCat("\"", text, "\"");
  return absl::StrCat("\"", text.substr(0, kMaxQuoted), "...\" (", text.size(),
                      " characters)");
}

// "No such file or directory (ENOENT)".
std::string DescribeErrno(int error_number) {
  const char* name = strerrorname_np(error_number);
  return absl::StrCat(
      std::strerror(error_number), " (",
      name != nullptr ? name : absl::StrCat("errno ", error_number), ")");
}

// Only the codes gons.h documents come back.
absl::StatusCode CodeForErrno(int error_number) {
  switch (error_number) {
    case ENOENT:
    case ENOTDIR:
      return absl::StatusCode::kNotFound;
    case EPERM:
    case EACCES:
      return absl::StatusCode::kPermissionDenied;
    case EUSERS:  // setns() into a time namespace while multi-threaded.
      return absl::StatusCode::kFailedPrecondition;
    case EINVAL:
    case ENOTTY:
    case ENXIO:
    case ELOOP:
      return absl::StatusCode::kInvalidArgument;
    case EMFILE:
    case ENFILE:
    case ENOMEM:
      return absl::StatusCode::kResourceExhausted;
    default:
      return absl::StatusCode::kInternal;
  }
}

constexpr int kUserIndex = FindNamespaceTypeIndex("user", 4);
constexpr int kMntIndex = FindNamespaceTypeIndex("mnt", 3);

static_assert(static_cast<int>(::gons::SwitchPass::kAfterUser) ==
              static_cast<int>(SwitchPass::kAfterUser));

bool IsType(int type_index, const char* name) {
  return std::strcmp(kNamespaceTypes[type_index].name, name) == 0;
}

bool Holds(const PrivilegeSnapshot& privileges, int capability) {
  return privileges.capabilities_known &&
         (privileges.effective_capabilities >> capability & 1) != 0;
}

// Why the process itself may lack the right to enter, from the snapshot
// taken when setns() refused it: a capability it lacks (never one it has),
// and a seccomp filter, which refuses setns() whatever the capabilities.
std::string DescribePrivileges(int type_index, int error_number,
                               const PrivilegeSnapshot& privileges) {
  std::string text;
  if (error_number != EPERM || !privileges.taken) return text;
  const bool mnt = type_index == kMntIndex;
  if (privileges.capabilities_known) {
    const bool admin = Holds(privileges, CAP_SYS_ADMIN);
    const bool chroot = Holds(privileges, CAP_SYS_CHROOT);
    if (mnt && admin && !chroot) {
      text =
          "; the process lacks CAP_SYS_CHROOT, which entering a mount "
          "namespace needs besides CAP_SYS_ADMIN";
    } else if (!admin) {
      text = "; the process lacks CAP_SYS_ADMIN in its own user namespace";
      if (mnt && !chroot) absl::StrAppend(&text, " (and CAP_SYS_CHROOT)");
    } else {
      text = mnt ? "; the process has CAP_SYS_ADMIN and CAP_SYS_CHROOT in "
                   "its own user namespace"
                 : "; the process has CAP_SYS_ADMIN in its own user "
                   "namespace";
    }
  }
  return text;
}

// Under a seccomp filter the filter itself may refuse setns() whatever the
// capabilities, so it is named first and the rest of the explanation is
// what holds where the filter allows the call.
std::string WithSeccompCause(const PrivilegeSnapshot& privileges,
                             int error_number, std::string cause) {
  if (error_number != EPERM || !privileges.taken ||
      privileges.seccomp_mode != 2) {
    return cause;
  }
  return absl::StrCat(
      "a seccomp filter is active (Seccomp: 2 in /proc/self/status) and may "
      "be what refuses setns (Docker's default profile does, without "
      "CAP_SYS_ADMIN); where the filter allows it: ",
      cause);
}

// The likely reason for a failed setns(), and the fix, as far as the error
// number, the namespace type and what was entered before tell; empty when
// there is nothing useful to add.
std::string ExplainEnterError(const StartupRecord& record, int type_index,
                              int error_number) {
  const NamespaceRecord& user = record.namespaces[kUserIndex];
  const NamespaceRecord& entry = record.namespaces[type_index];
  const char* name = kNamespaceTypes[type_index].name;
  const bool user_entered = user.state == NamespaceState::kEntered;
  const std::string privileges =
      DescribePrivileges(type_index, error_number, record.privileges);
  switch (error_number) {
    case EPERM:
      // The snapshot shows CAP_SYS_ADMIN held and CAP_SYS_CHROOT missing:
      // that, not the owner of the namespace, is what setns() checked last.
      if (type_index == kMntIndex && Holds(record.privileges, CAP_SYS_ADMIN) &&
          record.privileges.capabilities_known &&
          !Holds(record.privileges, CAP_SYS_CHROOT)) {
        return "the process lacks CAP_SYS_CHROOT, which entering a mount "
               "namespace needs besides CAP_SYS_ADMIN; run it with "
               "CAP_SYS_CHROOT";
      }
      if (type_index == kUserIndex) {
        return absl::StrCat(
            "the target user namespace is not a descendant of the current "
            "one, or the process lacks CAP_SYS_ADMIN in it",
            privileges);
      }
      if (record.order.tolerant && entry.deferred) {
        return absl::StrCat(
            "it was refused both before entering the user namespace (",
            DescribeErrno(entry.deferred_error),
            ") and after it: the process has no CAP_SYS_ADMIN over the user "
            "namespace that owns this namespace either way; name that owner "
            "(or a user namespace above it) in gons_user, or run with more "
            "privileges",
            privileges);
      }
      if (user_entered) {
        return absl::StrCat(
            "the user namespace was entered first, and the privileges the "
            "process had over namespaces outside it are gone; enter ",
            name, " before user (gons_order=", name,
            ",user,...), or leave gons_order unset: the default order tries "
            "both",
            privileges);
      }
      if (user.state == NamespaceState::kPending) {
        return absl::StrCat(
            "the process lacks CAP_SYS_ADMIN in the user namespace that owns "
            "this namespace; enter that user namespace first (put user "
            "before ",
            name, " in gons_order, or leave gons_order unset)", privileges);
      }
      return absl::StrCat(
          "the process lacks CAP_SYS_ADMIN in the user namespace that owns "
          "this namespace; name that user namespace in gons_user, or run "
          "with more privileges",
          privileges);
    case EINVAL:
      if (type_index == kUserIndex) {
        return "the process is already in this user namespace (re-entering "
               "one's own user namespace is not allowed), or it shares its "
               "filesystem attributes with another process";
      }
      if (IsType(type_index, "mnt")) {
        return "the process shares its filesystem attributes (root, working "
               "directory) with another process";
      }
      if (IsType(type_index, "pid")) {
        return "the target PID namespace is not a descendant of the current "
               "one";
      }
      if (user_entered && !record.order.tolerant) {
        return absl::StrCat(
            "the kernel refused to move the process into this namespace "
            "after the user switch; if it belongs to the original user "
            "namespace, enter ",
            name, " before user, or leave gons_order unset");
      }
      return "the kernel refused to move the process into this namespace";
    case EUSERS:
      return "the process is multi-threaded, and a time namespace can only be "
             "entered by a single-threaded process";
    default:
      return "";
  }
}

// "; entered (and still in): net, user; left for after the user switch:
// mnt (EPERM); not attempted: uts".
std::string DescribeProgress(const StartupRecord& record) {
  std::vector<std::string> entered;
  for (int index = 0; index < record.entered_count; ++index) {
    entered.push_back(kNamespaceTypes[record.entered_sequence[index]].name);
  }
  std::vector<std::string> deferred, pending;
  for (int step = 0; step < record.order.count; ++step) {
    const int type_index = record.order.steps[step].type_index;
    const NamespaceRecord& entry = record.namespaces[type_index];
    if (entry.state != NamespaceState::kPending) continue;
    if (!entry.deferred) {
      pending.push_back(kNamespaceTypes[type_index].name);
    } else if (entry.deferred_error != 0) {
      deferred.push_back(absl::StrCat(kNamespaceTypes[type_index].name, " (",
                                      DescribeErrno(entry.deferred_error),
                                      ")"));
    } else {
      deferred.push_back(
          absl::StrCat(kNamespaceTypes[type_index].name, " (waiting for mnt)"));
    }
  }
  std::string progress = entered.empty()
                             ? "; nothing was switched"
                             : absl::StrCat("; entered (and still in): ",
                                            absl::StrJoin(entered, ", "));
  if (!deferred.empty()) {
    absl::StrAppend(&progress,
                    "; refused before the user switch and not retried: ",
                    absl::StrJoin(deferred, ", "));
  }
  if (!pending.empty()) {
    absl::StrAppend(&progress,
                    "; not attempted: ", absl::StrJoin(pending, ", "));
  }
  return progress;
}

std::string DescribeType(int clone_flag) {
  const int index = FindNamespaceTypeIndexByFlag(clone_flag);
  if (index >= 0) {
    return absl::StrCat("a ", kNamespaceTypes[index].name, " namespace");
  }
  return absl::StrCat("a namespace of unknown type 0x", absl::Hex(clone_flag));
}

absl::Status NamespaceStepStatus(const StartupRecord& record) {
  const int type_index = record.failed_type;
  const NamespaceType& type = kNamespaceTypes[type_index];
  const NamespaceRecord& entry = record.namespaces[type_index];
  const std::string subject =
      absl::StrCat("gons: ", type.variable, "=",
                   Quote(entry.path != nullptr ? entry.path : ""));
  const int error_number = record.error_number;
  std::string message;
  absl::StatusCode code = CodeForErrno(error_number);
  switch (record.failed_step) {
    case SwitchStep::kOpen:
      message = absl::StrCat(subject,
                             ": opening failed: ", DescribeErrno(error_number));
      if (error_number == ENXIO || error_number == ELOOP) {
        absl::StrAppend(&message, "; it is not a namespace file");
      }
      if (error_number == ENOENT && !entry.open_early &&
          record.namespaces[FindNamespaceTypeIndex("mnt", 3)].state ==
              NamespaceState::kEntered) {
        absl::StrAppend(&message,
                        "; it was opened after entering the mount "
                        "namespace, where paths resolve differently: write !",
                        type.name,
                        " in gons_order to open it before the first "
                        "switch");
      }
      break;
    case SwitchStep::kCheckType:
      code = absl::StatusCode::kInvalidArgument;
      if (error_number == 0) {
        message =
            absl::StrCat(subject, " is ", DescribeType(record.actual_type_flag),
                         ", not a ", type.name, " namespace");
      } else if (error_number == ENOTTY) {
        message = absl::StrCat(subject, " is not a namespace file");
        code = absl::StatusCode::kInvalidArgument;
      } else {
        code = CodeForErrno(error_number);
        message = absl::StrCat(subject,
                               ": checking its namespace type failed: "
                               "ioctl(NS_GET_NSTYPE): ",
                               DescribeErrno(error_number));
      }
      break;
    case SwitchStep::kEnter: {
      message = absl::StrCat(
          subject, ": entering the ", type.name,
          " namespace failed: setns: ", DescribeErrno(error_number));
      const std::string cause =
          WithSeccompCause(record.privileges, error_number,
                           ExplainEnterError(record, type_index, error_number));
      if (!cause.empty()) absl::StrAppend(&message, "; likely cause: ", cause);
      break;
    }
    case SwitchStep::kClose:
      code = absl::StatusCode::kInternal;
      message =
          absl::StrCat(subject, ": closing the namespace descriptor failed: ",
                       DescribeErrno(error_number));
      break;
    case SwitchStep::kNone:
    case SwitchStep::kSecurity:
    case SwitchStep::kParseOrder:
    case SwitchStep::kThreads:
    case SwitchStep::kCredentials:
      // Not steps of one namespace: StatusFromRecord() describes them.
      code = absl::StatusCode::kInternal;
      message = absl::StrCat(subject, ": no namespace step failed");
      break;
  }
  return absl::Status(code, absl::StrCat(message, DescribeProgress(record)));
}

absl::Status CredentialsStatus(const StartupRecord& record) {
  const std::string subject = absl::StrCat(
      "gons: ", kCredentialsVariable, "=",
      Quote(record.credentials_text != nullptr ? record.credentials_text : ""));
  const char* call = "";
  switch (record.failed_credentials_call) {
    case CredentialsCall::kNone:
      return absl::InvalidArgumentError(
          absl::StrCat(subject,
                       ": expected root or keep (or unset); nothing was "
                       "switched"));
    case CredentialsCall::kSetgroups:
      call = "setgroups(0, NULL)";
      break;
    case CredentialsCall::kSetgid:
      call = "setgid(0)";
      break;
    case CredentialsCall::kSetuid:
      call = "setuid(0)";
      break;
  }
  std::string message = absl::StrCat(
      subject, ": becoming root of the user namespace failed: ", call, ": ",
      DescribeErrno(record.error_number));
  if (record.error_number == EINVAL) {
    absl::StrAppend(&message,
                    "; the namespace maps no uid or gid 0: map them, or "
                    "leave gons_credentials unset to keep the process's ids");
  }
  return absl::Status(CodeForErrno(record.error_number),
                      absl::StrCat(message, DescribeProgress(record)));
}

}  // namespace

absl::Status StatusFromRecord(const StartupRecord& record) {
  if (!record.ran) {
    return absl::FailedPreconditionError(
        "gons: the startup hook did not run, so no gons_* variable was "
        "applied: link the //gons target into the executable itself (its "
        "startup hook is alwayslink), or outside Bazel link "
        "gons/startup_hook.o with --whole-archive");
  }
  switch (record.failed_step) {
    case SwitchStep::kNone:
      return absl::OkStatus();
    case SwitchStep::kSecurity:
      return absl::FailedPreconditionError(
          "gons: ignored the gons_* variables: this program runs with "
          "elevated privileges (set-user-ID, set-group-ID or file "
          "capabilities: AT_SECURE), so whoever starts it must not choose its "
          "namespaces; nothing was switched");
    case SwitchStep::kParseOrder: {
      const OrderParseError& error = record.order_error;
      const absl::string_view element(error.element, error.element_length);
      return absl::InvalidArgumentError(absl::StrCat(
          "gons: ", kOrderVariable, "=",
          Quote(record.order_text != nullptr ? record.order_text
                                             : kDefaultOrder),
          ": element ", error.element_number, " ", Quote(element), ": ",
          DescribeOrderError(error.kind), "; nothing was switched"));
    }
    case SwitchStep::kThreads:
      return absl::FailedPreconditionError(absl::StrCat(
          "gons: the process already had ", record.thread_count,
          " threads when the switcher ran; setns() moves only the calling "
          "thread and refuses user, mnt and time namespaces to a "
          "multi-threaded process",
          DescribeProgress(record)));
    case SwitchStep::kCredentials:
      return CredentialsStatus(record);
    case SwitchStep::kOpen:
    case SwitchStep::kCheckType:
    case SwitchStep::kEnter:
    case SwitchStep::kClose:
      return NamespaceStepStatus(record);
  }
  // Only a record whose step holds no enumerator (a corrupted record).
  return absl::InternalError(
      absl::StrCat("gons: the start-up record holds an unknown step ",
                   static_cast<int>(record.failed_step)));
}

std::vector<NamespaceReport> ReportFromRecord(const StartupRecord& record) {
  std::vector<NamespaceReport> reports;
  if (!record.ran) return reports;
  const auto add = [&](int type_index) {
    const NamespaceRecord& entry = record.namespaces[type_index];
    // Set by every case below; GCC's -O2 -Wmaybe-uninitialized cannot tell.
    SwitchOutcome outcome = SwitchOutcome::kNotAttempted;
    switch (entry.state) {
      case NamespaceState::kNotRequested:
        return;
      case NamespaceState::kEntered:
        outcome = SwitchOutcome::kEntered;
        break;
      case NamespaceState::kFailed:
        outcome = SwitchOutcome::kFailed;
        break;
      case NamespaceState::kPending:
        outcome = SwitchOutcome::kNotAttempted;
        break;
    }
    NamespaceReport report{kNamespaceTypes[type_index].name,
                           kNamespaceTypes[type_index].variable,
                           entry.path,
                           entry.open_early,
                           entry.opened,
                           outcome};
    report.pass = static_cast<::gons::SwitchPass>(entry.pass);
    report.deferred = entry.deferred;
    report.deferred_error = entry.deferred_error;
    reports.push_back(std::move(report));
  };
  if (!record.order.tolerant) {
    for (int step = 0; step < record.order.count; ++step) {
      add(record.order.steps[step].type_index);
    }
    return reports;
  }
  for (int index = 0; index < record.entered_count; ++index) {
    add(record.entered_sequence[index]);
  }
  for (int step = 0; step < record.order.count; ++step) {
    const int type_index = record.order.steps[step].type_index;
    if (record.namespaces[type_index].state != NamespaceState::kEntered) {
      add(type_index);
    }
  }
  return reports;
}

}  // namespace internal

absl::Status Status() {
  return internal::StatusFromRecord(internal::ProcessStartupRecord());
}

std::vector<NamespaceReport> Report() {
  return internal::ReportFromRecord(internal::ProcessStartupRecord());
}

}  // namespace gons
