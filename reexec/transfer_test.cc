// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The transfer of large params and results through real children: every
// byte arrives at the sizes around each threshold of the path (the 4 KiB
// probe of a full buffer, the 64 KiB of a default pipe, the 128 KiB from
// which the param's socket buffer grows, the 256 KiB slices of a string
// result, the 1 MiB of a large pipe, the 4 MiB from which huge pages are
// advised), with and without characters to escape, with children that read
// slowly or answer before reading, and with a hostile announced size. Also
// what the path promises beyond the bytes: the child reads a param into a
// buffer of its size, a large result gets a large pipe before its first
// byte, and a small result after a large param keeps no large buffer.

#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gons/environment.h"
#include "gtest/gtest.h"
#include "integration/subprocess.h"
#include "reexec/leak_check.h"
#include "reexec/reexec.h"

namespace gons::reexec {
namespace {

constexpr std::size_t kKiB = 1024;
constexpr std::size_t kMiB = 1024 * 1024;

void WriteAll(int fd, const std::string& text) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t written = write(fd, text.data() + done, text.size() - done);
    if (written <= 0) return;
    done += static_cast<std::size_t>(written);
  }
}

// Reads the param or exits 1 saying why.
std::string ParamOrExit() {
  absl::StatusOr<std::string> param = ReadParam<std::string>();
  if (!param.ok()) {
    std::fprintf(stderr, "%s\n", param.status().ToString().c_str());
    std::exit(1);
  }
  return *std::move(param);
}

const bool registered = [] {
  Register("echo", [] { (void)WriteResult(ParamOrExit()); });
  // The param's bytes as a string result, or, when WriteResult() refuses
  // them, its message as the result.
  Register("bytes-as-string", [] {
    absl::StatusOr<Bytes> param = ReadParam<Bytes>();
    if (!param.ok()) std::exit(1);
    if (absl::Status status = WriteResult(param->data); !status.ok()) {
      (void)WriteResult(std::string(status.message()));
    }
  });
  // "SIZE CAPACITY" of the param as ReadParam() returns it.
  Register("param-capacity", [] {
    const std::string param = ParamOrExit();
    (void)WriteResult(absl::StrCat(param.size(), " ", param.capacity()));
  });
  // A result of as many bytes as the param says, then the size of the
  // stdout pipe, on stderr.
  Register("result-then-pipe-size", [] {
    absl::StatusOr<int> size = ReadParam<int>();
    if (!size.ok()) std::exit(1);
    (void)WriteResult(std::string(static_cast<std::size_t>(*size), 'r'));
    std::fprintf(stderr, "%d", fcntl(1, F_GETPIPE_SZ));
  });
  Register("read-late-then-echo", [] {
    // The parent's send fills the socket and waits meanwhile.
    absl::SleepFor(absl::Milliseconds(200));
    (void)WriteResult(ParamOrExit());
  });
  // Reads the param's JSON text in small pieces, pausing now and then,
  // and writes it back as it came.
  Register("trickle-echo", [] {
    std::string text;
    char piece[1000];
    for (;;) {
      const ssize_t got = read(0, piece, sizeof(piece));
      if (got < 0) std::exit(1);
      if (got == 0) break;
      text.append(piece, static_cast<std::size_t>(got));
      if (text.size() % (64 * kKiB) < sizeof(piece)) {
        absl::SleepFor(absl::Milliseconds(1));
      }
    }
    WriteAll(1, text);
  });
  // Writes part of the result before it reads the param.
  Register("answer-before-reading", [] {
    WriteAll(1, "\"ab");
    const std::string param = ParamOrExit();
    WriteAll(1, absl::StrCat(param.size(), "\""));
  });
  Register("small-result", [] {
    (void)ParamOrExit();
    (void)WriteResult(std::string("ok"));
  });
  // Three times the param.
  Register("larger-result", [] {
    const std::string param = ParamOrExit();
    (void)WriteResult(absl::StrCat(param, param, param));
  });
  return true;
}();

class TransferTest : public ::testing::Test {
 protected:
  void SetUp() override { descriptors_ = leak_check::OpenDescriptors(); }
  void TearDown() override {
    EXPECT_EQ(leak_check::OpenDescriptors(), descriptors_);
    EXPECT_EQ(leak_check::ChildrenLeft(), "");
  }

 private:
  std::vector<int> descriptors_;
};

// Bytes that vary, so that a byte lost or moved shows.
std::string Pattern(std::size_t size) {
  std::string text(size, ' ');
  for (std::size_t i = 0; i < size; ++i) {
    text[i] = static_cast<char>('a' + i % 26);
  }
  return text;
}

// The JSON text of a string of `size` plain bytes is `size` + 2 long: the
// sizes put the text, or the string, on each side of every threshold.
std::vector<std::size_t> Sizes() {
  std::vector<std::size_t> sizes = {0, 1, 2, 4 * kKiB - 2};
  for (const std::size_t threshold :
       {64 * kKiB, 128 * kKiB, 256 * kKiB, 1 * kMiB, 4 * kMiB}) {
    for (const std::size_t size : {threshold - 3, threshold - 2, threshold - 1,
                                   threshold, threshold + 1}) {
      sizes.push_back(size);
    }
  }
  sizes.push_back(16 * kMiB);
  return sizes;
}

// Whether `a` and `b` are equal, saying where they differ if not (a
// message of megabytes helps no one).
::testing::AssertionResult SameBytes(const std::string& a,
                                     const std::string& b) {
  if (a == b) return ::testing::AssertionSuccess();
  std::size_t at = 0;
  while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
  return ::testing::AssertionFailure()
         << "sizes " << a.size() << " and " << b.size()
         << ", first difference at " << at;
}

TEST_F(TransferTest, EchoesEverySizeAroundTheThresholds) {
  for (const std::size_t size : Sizes()) {
    const std::string sent = Pattern(size);
    std::string received = "not this";
    const absl::Status status =
        RunReexecAction("echo", Param(sent), Result(&received));
    ASSERT_TRUE(status.ok()) << size << ": " << status;
    EXPECT_TRUE(SameBytes(received, sent)) << size;
    if (size >= 64 * kKiB) {
      // Read into the param's own buffer, already resident: no growth,
      // so no spare room.
      EXPECT_LE(received.capacity(), size + 2 + 64) << size;
    }
  }
}

TEST_F(TransferTest, EchoesEscapesAroundTheSlicesOfAResult) {
  // A slice of a string result is 256 KiB: escapes at its ends, in the
  // middle of one, and slices with and without any.
  const std::size_t slice = 256 * kKiB;
  std::string sent = Pattern(3 * slice + 5);
  for (const std::size_t at : {std::size_t{0}, slice - 1, slice, slice + 1,
                               2 * slice + 7, 3 * slice + 4}) {
    sent[at] = "\"\\\n\x01\x1f"[at % 5];
  }
  std::string received;
  ASSERT_TRUE(RunReexecAction("echo", Param(sent), Result(&received)).ok());
  EXPECT_TRUE(SameBytes(received, sent));
  // Every byte escaped, and none.
  const std::string all_escaped(slice + 3, '\x02');
  ASSERT_TRUE(
      RunReexecAction("echo", Param(all_escaped), Result(&received)).ok());
  EXPECT_TRUE(SameBytes(received, all_escaped));
}

TEST_F(TransferTest, WritesSlicesBeforeTheFirstEscapeAsTheyAre) {
  // The result's UTF-8 check finds its first escape: the slices before it
  // go out unexamined. A character of several bytes across a slice's end,
  // and the first escape around the third slice's start.
  const std::size_t slice = 256 * kKiB;
  for (const std::size_t first_escape :
       {2 * slice - 1, 2 * slice, 2 * slice + 1}) {
    std::string sent = Pattern(3 * slice + 5);
    sent.replace(slice - 1, 3, "\xe2\x82\xac");
    sent[first_escape] = '"';
    sent[first_escape + 70] = '\\';
    std::string received;
    ASSERT_TRUE(RunReexecAction("echo", Param(sent), Result(&received)).ok());
    EXPECT_TRUE(SameBytes(received, sent)) << first_escape;
  }
}

TEST_F(TransferTest, RefusesAResultWithInvalidUtf8AcrossASliceEnd) {
  // A sequence cut where a slice ends, with nothing to escape before it
  // and with an escape before it: refused before any byte is written.
  const std::size_t slice = 256 * kKiB;
  for (const bool escape_before : {false, true}) {
    Bytes sent{Pattern(2 * slice + 3)};
    sent.data.replace(slice - 1, 2, "\xe2\x82");
    if (escape_before) sent.data[10] = '\n';
    std::string message;
    ASSERT_TRUE(
        RunReexecAction("bytes-as-string", Param(sent), Result(&message)).ok());
    EXPECT_EQ(message,
              absl::StrCat("the result is not valid UTF-8: byte ", slice - 1,
                           " (0xe2) starts no valid sequence; use "
                           "gons::reexec::Bytes for binary data"));
  }
}

TEST_F(TransferTest, ChildReadsTheParamIntoABufferOfItsSize) {
  for (const std::size_t size : {64 * kKiB, 1 * kMiB, 4 * kMiB + 1}) {
    std::string answer;
    ASSERT_TRUE(
        RunReexecAction("param-capacity", Param(Pattern(size)), Result(&answer))
            .ok());
    std::vector<std::string> words = absl::StrSplit(answer, ' ');
    ASSERT_EQ(words.size(), 2u) << answer;
    std::size_t got = 0;
    std::size_t capacity = 0;
    ASSERT_TRUE(absl::SimpleAtoi(words[0], &got)) << answer;
    ASSERT_TRUE(absl::SimpleAtoi(words[1], &capacity)) << answer;
    EXPECT_EQ(got, size);
    // The text with its two quotes, reserved once: not a growth's spare
    // room (fourfold, which the child would also have touched in part).
    EXPECT_GE(capacity, size);
    EXPECT_LE(capacity, size + 2 + 64) << size;
  }
}

TEST_F(TransferTest, LargeResultGetsALargePipeBeforeItsFirstByte) {
  for (const int size : {256 * 1024, 2 * 1024 * 1024}) {
    std::string result;
    std::string pipe_size;
    ASSERT_TRUE(RunReexecAction("result-then-pipe-size", Param(size),
                                Result(&result), StandardError(&pipe_size))
                    .ok());
    EXPECT_EQ(result.size(), static_cast<std::size_t>(size));
    int bytes = 0;
    ASSERT_TRUE(absl::SimpleAtoi(pipe_size, &bytes)) << pipe_size;
    // The parent grows the pipe itself only after 1 MiB has arrived: a
    // 256 KiB pipe here is the child's doing.
    EXPECT_GE(bytes, std::min(size + 2, 1024 * 1024)) << size;
  }
}

TEST_F(TransferTest, SmallResultAfterALargeParamKeepsNoLargeBuffer) {
  std::string result;
  ASSERT_TRUE(
      RunReexecAction("small-result", Param(Pattern(4 * kMiB)), Result(&result))
          .ok());
  EXPECT_EQ(result, "ok");
  EXPECT_LT(result.capacity(), 64 * kKiB);
}

TEST_F(TransferTest, ResultLargerThanTheParamArrivesWhole) {
  for (const std::size_t size : {100 * kKiB, 1 * kMiB + 1}) {
    const std::string sent = Pattern(size);
    std::string result;
    ASSERT_TRUE(
        RunReexecAction("larger-result", Param(sent), Result(&result)).ok());
    EXPECT_TRUE(SameBytes(result, absl::StrCat(sent, sent, sent))) << size;
  }
}

TEST_F(TransferTest, ResultBegunBeforeTheParamIsReadArrivesWhole) {
  for (const std::size_t size : {1 * kKiB, 4 * kMiB}) {
    std::string result;
    ASSERT_TRUE(RunReexecAction("answer-before-reading", Param(Pattern(size)),
                                Result(&result))
                    .ok());
    EXPECT_EQ(result, absl::StrCat("ab", size));
  }
}

TEST_F(TransferTest, SlowReadersGetTheWholeParam) {
  for (const std::size_t size : {64 * kKiB + 1, 1 * kMiB, 4 * kMiB}) {
    const std::string sent = Pattern(size);
    std::string received;
    ASSERT_TRUE(
        RunReexecAction("read-late-then-echo", Param(sent), Result(&received))
            .ok());
    EXPECT_TRUE(SameBytes(received, sent)) << size;
    received.clear();
    ASSERT_TRUE(
        RunReexecAction("trickle-echo", Param(sent), Result(&received)).ok());
    EXPECT_TRUE(SameBytes(received, sent)) << size;
  }
}

// A child started by hand, with an announced param size that is wrong,
// absurd or not a number: it still reads the whole param, to its end.
TEST_F(TransferTest, WrongAnnouncedParamSizeChangesNoByte) {
  const std::string sent = Pattern(300 * kKiB);
  // Its JSON text's size and either side of it, too little, too much,
  // beyond the most the child reserves (1 GiB), not a number.
  const std::string exact = absl::StrCat(sent.size() + 2);
  const std::string less = absl::StrCat(sent.size() + 1);
  const std::string more = absl::StrCat(sent.size() + 3);
  for (const char* announced :
       {exact.c_str(), less.c_str(), more.c_str(), "1", "65536", "10000000",
        "1073741823", "1073741824", "1073741825", "1099511627776",
        "18446744073709551616", "-5", "12x", ""}) {
    integration::SubprocessOptions options;
    options.argv = {"/proc/self/exe"};
    options.environment = integration::CleanEnvironment(
        {absl::StrCat(kReexecActionVariable, "=echo"),
         absl::StrCat("gons_reexec_param_size=", announced)});
    options.standard_input = absl::StrCat("\"", sent, "\"");
    absl::StatusOr<integration::SubprocessResult> result =
        integration::RunSubprocess(options);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(result->exit_code, 0)
        << announced << ": " << result->standard_error;
    // The value, and the newline that ends a result (options.h).
    EXPECT_TRUE(SameBytes(result->standard_output,
                          absl::StrCat(options.standard_input, "\n")))
        << announced;
  }
}

}  // namespace
}  // namespace gons::reexec
