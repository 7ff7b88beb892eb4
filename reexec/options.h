// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: options.h
// -----------------------------------------------------------------------------
//
// The options of RunReexecAction() (see reexec.h): each is a small value that
// RunReexecAction() applies to the invocation it builds.
//
// Example:
//
//   std::vector<std::string> interfaces;
//   absl::Status status = gons::reexec::RunReexecAction(
//       "list-interfaces",
//       gons::reexec::Namespaces({{"!user", "/proc/42/ns/user"},
//                                 {"net", "/run/netns/blue"}}),
//       gons::reexec::Param(std::map<std::string, int>{{"limit", 10}}),
//       gons::reexec::Result(&interfaces),
//       gons::reexec::Timeout(absl::Seconds(5)),
//       gons::reexec::Dumpable(false));

#ifndef GONS_REEXEC_OPTIONS_H_
#define GONS_REEXEC_OPTIONS_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rapidjson/document.h"
#include "reexec/json.h"

namespace gons::reexec {

// A namespace for the child to enter: `type` as in gons_order ("net", or
// "!net" to open its path before the first switch), `path` of the namespace.
struct Namespace {
  std::string type;
  std::string path;
};

namespace internal {

// Everything RunReexecAction() was asked to do.
struct Invocation {
  std::vector<Namespace> namespaces;
  std::optional<std::string> param;  // JSON text for the child's stdin.
  // Decodes the result, parsed in place from the text it is given (which it
  // may take its bytes from).
  std::function<absl::Status(const rapidjson::Document&, std::string*)>
      decode_result;
  // Whether decode_result is given the child's text as written (a copy
  // kept before parsing) rather than the text parsed in place.
  bool decode_result_wants_original = false;
  std::vector<std::string> environment;  // Extra "NAME=VALUE" entries.
  absl::Duration timeout = absl::InfiniteDuration();
  std::string* standard_error = nullptr;
  bool dumpable = true;
  std::size_t max_result_size = std::size_t{1} << 30;
  bool die_with_parent = false;
  bool fork_server = false;
  absl::Status option_error;  // The first invalid option.
};

absl::Status RunInvocation(absl::string_view name, Invocation invocation);
absl::StatusOr<std::string> ReadStandardInput();
absl::Status WriteStandardOutput(absl::string_view text);
// Fails when a result was already written in this process. Thread-safe.
absl::Status BeginResult();
// Ends every result on stdout: after it, nothing can extend the value.
inline constexpr char kResultEnd = '\n';
// Write a result: `text` as a JSON string, or the encoded `json`, then
// kResultEnd. `text` is UTF-8 and holds nothing to escape before
// `first_escape` (npos: nowhere), as ScanStringContent() found.
absl::Status WriteStandardOutputJsonString(absl::string_view text,
                                           std::size_t first_escape);
absl::Status WriteStandardOutputResult(std::string json);

}  // namespace internal

namespace internal {

// An option: a function object that RunReexecAction() applies. The public
// options below are functions returning one, so that braced lists such as
// Namespaces({{"net", path}}) have exactly one meaning.
template <typename Apply>
class Option {
 public:
  explicit Option(Apply apply) : apply_(std::move(apply)) {}
  void ApplyTo(Invocation& invocation) && { std::move(apply_)(invocation); }

 private:
  Apply apply_;
};

template <typename Apply>
Option<Apply> MakeOption(Apply apply) {
  return Option<Apply>(std::move(apply));
}

}  // namespace internal

// The namespaces the child enters at start-up, in this order.
inline auto Namespaces(std::vector<Namespace> namespaces) {
  return internal::MakeOption([namespaces = std::move(namespaces)](
                                  internal::Invocation& invocation) mutable {
    invocation.namespaces = std::move(namespaces);
  });
}

// The value sent to the child as JSON on its stdin: any type JsonCodec
// supports, or a string literal. A value JSON cannot express (NaN,
// infinity, a RawJson anywhere in it that is not one valid JSON value)
// makes the call fail with kInvalidArgument before a child is started.
template <typename T>
auto Param(const T& value) {
  absl::StatusOr<std::string> json;
  if constexpr (std::is_convertible_v<const T&, std::string_view> &&
                !std::is_same_v<T, std::string>) {
    json = TryEncodeJson(std::string(std::string_view(value)));
  } else {
    json = TryEncodeJson(value);
  }
  return internal::MakeOption(
      [json = std::move(json)](internal::Invocation& invocation) mutable {
        if (!json.ok()) {
          if (invocation.option_error.ok()) {
            invocation.option_error = absl::InvalidArgumentError(
                absl::StrCat("Param: ", json.status().message()));
          }
          return;
        }
        invocation.param = *std::move(json);
      });
}

// Where to decode the child's stdout (one JSON value) to. `*out` is written
// only when the call succeeds.
template <typename T>
auto Result(T* out) {
  if constexpr (std::is_same_v<T, RawJson>) {
    // The bytes of the value as the child wrote them (white space around
    // it aside), already checked to be one JSON value.
    return internal::MakeOption([out](internal::Invocation& invocation) {
      invocation.decode_result_wants_original = true;
      invocation.decode_result = [out](const rapidjson::Document&,
                                       std::string* text) {
        out->text = std::string(absl::StripAsciiWhitespace(*text));
        return absl::OkStatus();
      };
    });
  } else {
    return internal::MakeOption([out](internal::Invocation& invocation) {
      invocation.decode_result = [out](const rapidjson::Document& json,
                                       std::string* text) {
        T value{};
        absl::Status status = internal::DecodeParsedInPlace(json, text, &value);
        if (status.ok()) *out = std::move(value);
        return status;
      };
    });
  }
}

// Extra "NAME=VALUE" entries for the child's environment. Names starting
// with gons_ are refused: the runner sets those.
inline auto Environment(std::vector<std::string> entries) {
  return internal::MakeOption(
      [entries = std::move(entries)](internal::Invocation& invocation) {
        invocation.environment.insert(invocation.environment.end(),
                                      entries.begin(), entries.end());
      });
}

// How long the child may take; after that it is killed and reaped, and the
// call fails with kDeadlineExceeded. Default: no limit.
inline auto Timeout(absl::Duration timeout) {
  return internal::MakeOption([timeout](internal::Invocation& invocation) {
    invocation.timeout = timeout;
  });
}

// Receives what the child wrote to stderr (bounded: its beginning and end),
// on success too.
inline auto StandardError(std::string* out) {
  return internal::MakeOption([out](internal::Invocation& invocation) {
    invocation.standard_error = out;
  });
}

// Whether the child stays dumpable. With Dumpable(false) it makes itself
// non-dumpable (prctl(PR_SET_DUMPABLE, 0)) at start-up, before it enters
// the first namespace, and its children inherit that until they execute
// another program. Then no process without CAP_SYS_PTRACE in the user
// namespace where the child was started (a container's processes, even its
// root) can ptrace it or open its /proc entries (exe, mem, environ, fd/):
// /proc/PID/exe is how runc's CVE-2019-5736 reached the host's binary. The
// child writes no core dump. Default: true (dumpable, as any process).
inline auto Dumpable(bool dumpable) {
  return internal::MakeOption([dumpable](internal::Invocation& invocation) {
    invocation.dumpable = dumpable;
  });
}

// The most the runner keeps of the child's stdout: a child that writes more
// is killed and the call fails with kResourceExhausted, so that a hostile
// child cannot exhaust the caller's memory. Default: 1 GiB.
inline auto MaxResultSize(std::size_t bytes) {
  return internal::MakeOption([bytes](internal::Invocation& invocation) {
    invocation.max_result_size = bytes;
  });
}

// With DieWithParent(true) the child gets PR_SET_PDEATHSIG(SIGKILL) before
// it executes the program: it is killed when the *thread* that called
// RunReexecAction() ends (even if the process lives on), so use it from a
// thread that outlives the call. Default: false.
inline auto DieWithParent(bool die_with_parent) {
  return internal::MakeOption(
      [die_with_parent](internal::Invocation& invocation) {
        invocation.die_with_parent = die_with_parent;
      });
}

// With ForkServer(true) the action runs in a copy forked by a warm helper
// instead of a re-executed child: the helper is the program re-executed
// once per process (single-threaded, entering no namespace), and each call
// gets a fresh fork of it that enters the namespaces itself (user and mount
// included) and runs the action. Every other option, error, timeout and
// result rule is the same; so is what the action sees, but for what
// reexec/README.md lists under "What a forked copy inherits" (the helper's
// memory and address layout, /proc/PID/cmdline, start-up settings read from
// the environment when the helper started). The helper is started on the
// first such call and lives until the process exits; a process forked by
// the caller gets its own. Needs CheckAction() before any thread is started
// (else kFailedPrecondition). Under ForkServer(true), DieWithParent() means
// the caller's process rather than its thread: every copy dies with the
// helper, and the helper with the process. Calls from many threads run in
// parallel (the helper forks them one at a time). Beyond reexec.h's codes,
// fails with kUnavailable when the helper died while the action ran (the
// action may have run in part; the copy was killed), or died twice before
// the copy started. Default: false.
inline auto ForkServer(bool fork_server) {
  return internal::MakeOption([fork_server](internal::Invocation& invocation) {
    invocation.fork_server = fork_server;
  });
}

}  // namespace gons::reexec

#endif  // GONS_REEXEC_OPTIONS_H_
