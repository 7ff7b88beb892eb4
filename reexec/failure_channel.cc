// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/failure_channel.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "reexec/printable.h"

namespace gons::reexec::internal {
namespace {

constexpr char kSwitchFailedKind[] = "switch-failed";
constexpr char kUnknownActionKind[] = "unknown-action";
// Of a malformed record, this much is quoted in the status.
constexpr std::size_t kQuotedBytes = 200;

absl::string_view KindName(ChildFailureKind kind) {
  switch (kind) {
    case ChildFailureKind::kSwitchFailed:
      return kSwitchFailedKind;
    case ChildFailureKind::kUnknownAction:
      return kUnknownActionKind;
  }
  return kSwitchFailedKind;  // Not reached: the switch covers every kind.
}

absl::Status Malformed(absl::string_view why, absl::string_view bytes) {
  const bool cut = bytes.size() > kQuotedBytes;
  return absl::DataLossError(
      absl::StrCat("the child's failure report on its descriptor ",
                   kFailureChannelDescriptor, " is malformed (", why, "): \"",
                   PrintableText(bytes.substr(0, kQuotedBytes)),
                   cut ? "\"..." : "\"", " (", bytes.size(), " bytes)"));
}

}  // namespace

int TakeFailureChannel() {
  const char* value = getenv(kFailureChannelVariable);
  if (value == nullptr) return -1;
  const bool announced = std::strcmp(value, "4") == 0;
  // Not for the action's own children, whatever it said.
  unsetenv(kFailureChannelVariable);
  if (!announced) return -1;
  struct stat status = {};
  if (fstat(kFailureChannelDescriptor, &status) != 0 ||
      !S_ISFIFO(status.st_mode)) {
    return -1;  // Not the parent's pipe: nothing to report on.
  }
  if (fcntl(kFailureChannelDescriptor, F_SETFD, FD_CLOEXEC) != 0) {
    // The descriptor was just seen open, so this cannot fail; were it to,
    // close it rather than let a program the action executes inherit it.
    close(kFailureChannelDescriptor);
    return -1;
  }
  return kFailureChannelDescriptor;
}

std::string FormatFailureRecord(ChildFailureKind kind, absl::StatusCode code,
                                absl::string_view message) {
  std::string record =
      absl::StrCat(KindName(kind), " ", static_cast<int>(code), " ");
  const std::size_t room = kMaxFailureRecord - 1 - record.size();
  const std::size_t start = record.size();
  record.append(message.data(), std::min(message.size(), room));
  std::replace(record.begin() + static_cast<std::ptrdiff_t>(start),
               record.end(), '\n', ' ');
  std::replace(record.begin() + static_cast<std::ptrdiff_t>(start),
               record.end(), '\0', ' ');
  record.push_back('\n');
  return record;
}

void WriteFailureRecord(int channel, ChildFailureKind kind,
                        absl::StatusCode code, absl::string_view message) {
  if (channel < 0) return;
  const std::string record = FormatFailureRecord(kind, code, message);
  // One write, below PIPE_BUF: all or nothing. Not checked, deliberately:
  // the child exits next, and the parent then reports its exit status.
  ssize_t written;
  do {
    written = write(channel, record.data(), record.size());
  } while (written < 0 && errno == EINTR);
}

void CloseFailureChannel(int channel) {
  // Not checked, deliberately: close() releases the descriptor even when
  // it reports an error, and a pipe has no data to lose on the way.
  if (channel >= 0) close(channel);
}

absl::StatusOr<std::optional<ChildFailure>> ParseFailureRecord(
    absl::string_view bytes) {
  if (bytes.empty()) return std::nullopt;
  if (bytes.size() > kMaxFailureRecord) {
    return Malformed(absl::StrCat("longer than ", kMaxFailureRecord, " bytes"),
                     bytes);
  }
  const std::size_t newline = bytes.find('\n');
  if (newline == absl::string_view::npos) {
    return Malformed("no newline ends it", bytes);
  }
  if (newline + 1 != bytes.size()) {
    return Malformed("bytes after the record's newline", bytes);
  }
  if (bytes.find('\0') != absl::string_view::npos) {
    return Malformed("a NUL byte", bytes);
  }
  const absl::string_view line = bytes.substr(0, newline);
  const std::size_t first_space = line.find(' ');
  const std::size_t second_space = first_space == absl::string_view::npos
                                       ? absl::string_view::npos
                                       : line.find(' ', first_space + 1);
  if (second_space == absl::string_view::npos) {
    return Malformed("expected \"<kind> <code> <message>\"", bytes);
  }
  const absl::string_view kind = line.substr(0, first_space);
  const absl::string_view code_text =
      line.substr(first_space + 1, second_space - first_space - 1);
  ChildFailure failure;
  if (kind == kSwitchFailedKind) {
    failure.kind = ChildFailureKind::kSwitchFailed;
  } else if (kind == kUnknownActionKind) {
    failure.kind = ChildFailureKind::kUnknownAction;
  } else {
    return Malformed("unknown kind", bytes);
  }
  int code = 0;
  if (code_text.empty() || code_text.size() > 2 ||
      !std::all_of(code_text.begin(), code_text.end(),
                   [](char c) { return c >= '0' && c <= '9'; }) ||
      !absl::SimpleAtoi(code_text, &code) || code < 1 || code > 16) {
    return Malformed("the status code is not 1 to 16", bytes);
  }
  failure.code = static_cast<absl::StatusCode>(code);
  failure.message = std::string(line.substr(second_space + 1));
  return failure;
}

}  // namespace gons::reexec::internal
