// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

// The child's side of an action: CheckAction()'s dispatch to the action
// named in the environment, the failure channel's use before it runs, and
// the reading of its param.

#include <sys/auxv.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gons/environment.h"
#include "gons/gons.h"
#include "reexec/failure_channel.h"
#include "reexec/fork_server_helper.h"
#include "reexec/large_buffer.h"
#include "reexec/options.h"
#include "reexec/param_announcement.h"
#include "reexec/reexec.h"
#include "reexec/registry.h"

namespace gons::reexec {
namespace internal {
namespace {

// Exit codes of a child that could not run its action. The parent does
// not read them (it reads the failure channel, which an action cannot
// write to by accident: see failure_channel.h); they tell a person who
// runs a child by hand, without the channel.
constexpr int kExitSwitchFailed = 111;
constexpr int kExitUnknownAction = 112;
// The child reserves at most this much on the word of kParamSizeVariable.
constexpr std::size_t kMostAnnouncedParam = std::size_t{1} << 30;
// What the child was told, 0 when nothing (see RunAction()).
std::atomic<std::size_t> announced_param_size{0};

[[noreturn]] void ExitChild(int code) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  if (ChildExitHook hook = GetChildExitHook(); hook != nullptr) hook();
  // _exit: no static destructors run in a child whose threads, if any, may
  // still be using them.
  _exit(code);
}

}  // namespace

absl::StatusOr<std::string> ReadStandardInput() {
  // Read straight into the string (no bounce buffer), with huge pages for
  // a large one, reserved once at the announced size: a parent that
  // announced too little or too much costs growth or untouched room, no
  // more (the text is read to its end either way).
  std::string text;
  if (const std::size_t announced = announced_param_size.exchange(0);
      announced > 0) {
    try {
      ReserveLargeBuffer(&text, announced);
    } catch (const std::bad_alloc&) {
      // Then it grows as it comes, as without an announcement.
    }
  }
  for (;;) {
    const long got = ReadAppend(0, &text);
    if (got == 0) return text;
    if (got < 0 && errno != EINTR) {
      return absl::ErrnoToStatus(errno, "reading the param from stdin");
    }
  }
}

}  // namespace internal

void Register(std::string_view name, std::function<void()> action) {
  internal::AddAction(absl::string_view(name.data(), name.size()),
                      std::move(action));
}

bool RunAction() {
  internal::MarkActionChecked();
  // In a set-user-ID, set-group-ID or file-capability program the
  // environment is the (unprivileged) caller's: it must not choose an
  // action to run with the program's privileges instead of main().
  if (getauxval(AT_SECURE) != 0) return false;
  // A fork server's helper serves here and never returns (fork_server.h).
  internal::ServeForksIfAsked(&CheckAction);
  const char* requested = std::getenv(kReexecActionVariable);
  if (requested == nullptr) return false;
  const std::string name = requested;
  // First, so that nothing the child starts holds it.
  const int failure_channel = internal::TakeFailureChannel();
  // Not for this child's own children.
  unsetenv(kReexecActionVariable);
  if (const char* announced = std::getenv(internal::kParamSizeVariable)) {
    std::size_t size = 0;
    if (absl::SimpleAtoi(announced, &size)) {
      internal::announced_param_size =
          std::min(size, internal::kMostAnnouncedParam);
    }
    unsetenv(internal::kParamSizeVariable);
  }
  unsetenv(kReexecDumpableVariable);  // Already applied (child_start.cc).
  internal::MarkChild(name);
  // A readable name for ps and top instead of "exe" (at most 15 bytes).
  // Cosmetic, and it cannot fail for a NUL-terminated name: not checked.
  const int named = prctl(PR_SET_NAME, name.substr(0, 15).c_str(), 0, 0, 0);
  static_cast<void>(named);

  // The switch ran before main(); its outcome is read here.
  if (const absl::Status status = gons::Status(); !status.ok()) {
    if (failure_channel < 0) {
      std::fprintf(stderr, "gons reexec: %s\n", status.ToString().c_str());
    }
    internal::WriteFailureRecord(failure_channel,
                                 internal::ChildFailureKind::kSwitchFailed,
                                 status.code(), status.message());
    internal::ExitChild(internal::kExitSwitchFailed);
  }
  std::optional<std::function<void()>> action = internal::FindAction(name);
  if (!action.has_value()) {
    const std::string message =
        absl::StrCat("no action is registered as \"", name,
                     "\" in this program when CheckAction() runs");
    if (failure_channel < 0) {
      std::fprintf(stderr, "gons reexec: %s\n", message.c_str());
    }
    internal::WriteFailureRecord(failure_channel,
                                 internal::ChildFailureKind::kUnknownAction,
                                 absl::StatusCode::kNotFound, message);
    internal::ExitChild(internal::kExitUnknownAction);
  }
  // Neither the action nor what it starts may write on the channel.
  internal::CloseFailureChannel(failure_channel);
  (*action)();
  std::cout.flush();
  std::fflush(stdout);
  return true;
}

void CheckAction() {
  if (RunAction()) internal::ExitChild(0);
}

}  // namespace gons::reexec
