// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

// The child's result on stdout: the writes, the JSON string written
// slice by slice, and the framing (one value, then kResultEnd).

#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <iostream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "reexec/json.h"
#include "reexec/large_buffer.h"
#include "reexec/options.h"

namespace gons::reexec::internal {
namespace {

// A large result gets a larger stdout pipe before its first byte, so
// that the child writes it in a few writes, not one per 64 KiB.
void GrowResultPipe(std::size_t bytes) {
  constexpr std::size_t kDefaultPipe = 64 * 1024;
  if (bytes <= kDefaultPipe) return;
  // Advice: a stdout that is no pipe, or a refusal, changes nothing.
  static_cast<void>(GrowPipeFor(1, bytes));
}

absl::Status WriteAll(absl::string_view text) {
  while (!text.empty()) {
    const ssize_t written = write(1, text.data(), text.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return absl::ErrnoToStatus(errno, "writing the result to stdout");
    }
    text.remove_prefix(static_cast<std::size_t>(written));
  }
  return absl::OkStatus();
}

// Writes `first` then `second` with as few writev calls as the pipe allows.
absl::Status WriteBoth(absl::string_view first, absl::string_view second) {
  iovec parts[2] = {{const_cast<char*>(first.data()), first.size()},
                    {const_cast<char*>(second.data()), second.size()}};
  iovec* part = parts;
  int count = 2;
  while (count > 0) {
    const ssize_t written = writev(1, part, count);
    if (written < 0) {
      if (errno == EINTR) continue;
      return absl::ErrnoToStatus(errno, "writing the result to stdout");
    }
    // Past what was written: whole parts, then into the next one.
    std::size_t left = static_cast<std::size_t>(written);
    while (count > 0 && left >= part->iov_len) {
      left -= part->iov_len;
      ++part;
      --count;
    }
    if (count > 0) {
      part->iov_base = static_cast<char*>(part->iov_base) + left;
      part->iov_len -= left;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteStandardOutput(absl::string_view text) {
  std::cout.flush();
  std::fflush(stdout);
  GrowResultPipe(text.size());
  return WriteAll(text);
}

absl::Status WriteStandardOutputJsonString(absl::string_view text,
                                           std::size_t first_escape) {
  constexpr std::size_t kSlice = 256 * 1024;
  std::cout.flush();
  std::fflush(stdout);
  GrowResultPipe(text.size() + 2);
  // What is escaped waits here; a slice with nothing to escape is written
  // from `text` itself (most large results: no copy, no buffer). Before
  // the first escape that is known without a look.
  std::string json = "\"";
  for (std::size_t at = 0; at < text.size(); at += kSlice) {
    const absl::string_view slice = text.substr(at, kSlice);
    absl::Status status;
    if ((first_escape == absl::string_view::npos ||
         at + slice.size() <= first_escape) ||
        IsPlainJsonStringContent(slice)) {
      status = WriteBoth(json, slice);
    } else {
      // Room for the slice and a few escapes.
      json.reserve(json.size() + slice.size() + 64);
      AppendJsonStringContent(slice, &json);
      status = WriteAll(json);
    }
    if (!status.ok()) return status;
    json.clear();
  }
  json.push_back('"');
  json.push_back(kResultEnd);
  return WriteAll(json);
}

absl::Status WriteStandardOutputResult(std::string json) {
  // With the value's own write when there is room (no copy of a large
  // value for one byte), else on its own.
  if (json.capacity() > json.size()) {
    json.push_back(kResultEnd);
    return WriteStandardOutput(json);
  }
  if (absl::Status status = WriteStandardOutput(json); !status.ok()) {
    return status;
  }
  return WriteStandardOutput(absl::string_view(&kResultEnd, 1));
}

absl::Status BeginResult() {
  static std::atomic<bool> written{false};
  if (written.exchange(true)) {
    return absl::FailedPreconditionError(
        "WriteResult() called a second time: a result is exactly one JSON "
        "value, and one was written already");
  }
  return absl::OkStatus();
}

}  // namespace gons::reexec::internal
