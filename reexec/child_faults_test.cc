// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Fault injection for the reexec parent: children that crash, hang, write
// garbage or hostile JSON, exit early, flood stderr or stdout, close their
// pipes, or leave a grandchild holding them. After each call the parent
// must have given the right status, delivered or reported every byte, and
// kept nothing: the same descriptors as before, and no child process
// (running or zombie). The basic cases (abort, timeout, exit status, plain
// garbage, a child that never reads a large param) are in reexec_test.

#include <signal.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reexec/leak_check.h"
#include "reexec/reexec.h"

namespace gons::reexec {
namespace {

using ::testing::HasSubstr;

// Writes all of `text` to `fd`, ignoring errors (the reader may be gone).
void WriteAll(int fd, const std::string& text) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t written = write(fd, text.data() + done, text.size() - done);
    if (written <= 0) return;
    done += static_cast<std::size_t>(written);
  }
}

const bool registered = [] {
  Register("result-then-abort", [] {
    (void)WriteResult(42);
    std::abort();
  });
  Register("close-stdout", [] {
    close(1);
    std::fprintf(stderr, "stdout closed\n");
  });
  Register("close-stdin-then-answer", [] {
    close(0);
    (void)WriteResult(42);
  });
  Register("partial-json", [] { WriteAll(1, "[1, 2"); });
  Register("nan-result", [] {
    const absl::Status status = WriteResult(std::vector<double>{1, NAN});
    // Nothing was written; the parent reads the refusal from stderr.
    std::fprintf(stderr, "WriteResult: %s\n", status.ToString().c_str());
  });
  Register("exact-numbers", [] {
    WriteAll(1,
             " [18446744073709551616, -0, 123456789012345678901234567890,"
             " \"\\u0041\"]\n");
  });
  // A bare number in two writes, further apart than the runner's grace
  // period (1 s): "12" alone looks like a whole result.
  Register("number-in-two-writes", [] {
    WriteAll(1, "12");
    absl::SleepFor(absl::Milliseconds(1500));
    WriteAll(1, "34");
  });
  Register("binary-garbage", [] {
    std::string noise(16 << 20, '\0');
    unsigned state = 1;
    for (char& c : noise) {
      state = state * 1103515245 + 12345;
      c = static_cast<char>(state >> 16);
    }
    WriteAll(1, noise);
  });
  Register("deep-json", [] { WriteAll(1, std::string(1 << 20, '[')); });
  // Latin-1, not UTF-8: what a child that trusts its bytes may write.
  Register("latin1-result", [] { WriteAll(1, "[\"ok\", \"caf\xe9\"]"); });
  Register("latin1-string-result", [] {
    const absl::Status status = WriteResult(std::string("caf\xe9"));
    std::fprintf(stderr, "WriteResult: %s\n", status.ToString().c_str());
  });
  Register("echo-bytes", [] {
    absl::StatusOr<Bytes> param = ReadParam<Bytes>();
    if (!param.ok()) std::exit(2);
    (void)WriteResult(*param);
  });
  Register("stderr-flood-then-abort", [] {
    WriteAll(2, "first line\n" + std::string(4 << 20, 'e') + "\nlast line\n");
    std::abort();
  });
  Register("stdout-flood-forever", [] {
    const std::string chunk(1 << 16, '1');
    for (;;) WriteAll(1, chunk);
  });
  Register("close-everything-and-hang", [] {
    close(0);
    close(1);
    close(2);
    for (;;) pause();
  });
  // The grandchild keeps stdout and stderr open after the child exits.
  Register("grandchild-keeps-pipes", [] {
    const pid_t grandchild = fork();
    if (grandchild == 0) {
      for (;;) pause();
    }
    (void)WriteResult(static_cast<int>(grandchild));
  });
  return true;
}();

using ChildFaultsTest = leak_check::NoLeakTest;

TEST_F(ChildFaultsTest, CrashAfterAWholeResultIsStillAFailure) {
  int answer = 0;
  const absl::Status status =
      RunReexecAction("result-then-abort", Result(&answer));
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  EXPECT_THAT(status.message(), HasSubstr("SIGABRT"));
  EXPECT_EQ(answer, 0);
}

TEST_F(ChildFaultsTest, ClosedStdoutIsAMissingResult) {
  int answer = 0;
  const absl::Status status = RunReexecAction("close-stdout", Result(&answer));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_THAT(status.message(), HasSubstr("wrote no result"));
  EXPECT_THAT(status.message(), HasSubstr("stdout closed"));
}

TEST_F(ChildFaultsTest, ClosedStdinLosesTheParamAndSaysSo) {
  int answer = 0;
  const absl::Status status =
      RunReexecAction("close-stdin-then-answer",
                      Param(std::string(16 << 20, 'p')), Result(&answer));
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  EXPECT_THAT(status.message(), HasSubstr("stopped reading its param"));
  EXPECT_EQ(answer, 0);
}

TEST_F(ChildFaultsTest, TruncatedJsonIsDataLoss) {
  std::vector<int> numbers;
  const absl::Status status = RunReexecAction("partial-json", Result(&numbers));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_THAT(status.message(), HasSubstr("not valid JSON"));
}

TEST_F(ChildFaultsTest, BareNumberIsWholeOnlyWhenTheChildExits) {
  int number = 0;
  const absl::Status status =
      RunReexecAction("number-in-two-writes", Result(&number));
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(number, 1234);
}

TEST_F(ChildFaultsTest, BinaryGarbageIsDataLossWithABoundedMessage) {
  std::string text;
  const absl::Status status = RunReexecAction("binary-garbage", Result(&text));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_LT(status.message().size(), 1000u);
}

TEST_F(ChildFaultsTest, NonFiniteNumbersAreRefusedBeforeSending) {
  const absl::Status param =
      RunReexecAction("exact-numbers", Param(std::vector<double>{INFINITY}));
  EXPECT_EQ(param.code(), absl::StatusCode::kInvalidArgument) << param;
  EXPECT_THAT(param.message(), HasSubstr("has no JSON representation"));
  std::vector<double> numbers;
  const absl::Status result = RunReexecAction("nan-result", Result(&numbers));
  EXPECT_EQ(result.code(), absl::StatusCode::kDataLoss) << result;
  EXPECT_THAT(result.message(), HasSubstr("wrote no result"));
  EXPECT_THAT(result.message(),
              HasSubstr("INVALID_ARGUMENT: cannot encode as JSON"));
}

TEST_F(ChildFaultsTest, RawJsonResultIsTheBytesTheChildWrote) {
  RawJson result;
  const absl::Status status = RunReexecAction("exact-numbers", Result(&result));
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(result.text,
            "[18446744073709551616, -0, 123456789012345678901234567890,"
            " \"\\u0041\"]");
}

TEST_F(ChildFaultsTest, NestedRawJsonResultIsTheBytesTheChildWrote) {
  std::vector<RawJson> result;
  const absl::Status status = RunReexecAction("exact-numbers", Result(&result));
  ASSERT_TRUE(status.ok()) << status;
  std::vector<std::string> texts;
  for (const RawJson& element : result) texts.push_back(element.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"18446744073709551616", "-0",
                                             "123456789012345678901234567890",
                                             "\"\\u0041\""}));
}

TEST_F(ChildFaultsTest, StringsThatAreNotUtf8AreRefusedBothWays) {
  // Sent: refused before the child starts.
  const absl::Status param =
      RunReexecAction("echo-bytes", Param(std::string("caf\xe9")));
  EXPECT_EQ(param.code(), absl::StatusCode::kInvalidArgument) << param;
  EXPECT_THAT(param.message(), HasSubstr("not valid UTF-8: byte 3 (0xe9)"));
  // Received: DataLoss naming the offset.
  std::vector<std::string> strings;
  const absl::Status received =
      RunReexecAction("latin1-result", Result(&strings));
  EXPECT_EQ(received.code(), absl::StatusCode::kDataLoss) << received;
  EXPECT_THAT(received.message(),
              HasSubstr("invalid UTF-8 in a string at offset 11"));
  // A child's WriteResult() refuses too, writing nothing.
  std::string text;
  const absl::Status refused =
      RunReexecAction("latin1-string-result", Result(&text));
  EXPECT_EQ(refused.code(), absl::StatusCode::kDataLoss) << refused;
  EXPECT_THAT(refused.message(), HasSubstr("wrote no result"));
  EXPECT_THAT(refused.message(), HasSubstr("not valid UTF-8"));
}

TEST_F(ChildFaultsTest, BytesCrossBothWaysWithEveryByteValue) {
  Bytes every;
  for (int byte = 0; byte < 256; ++byte) {
    every.data.push_back(static_cast<char>(byte));
  }
  Bytes echoed;
  const absl::Status status =
      RunReexecAction("echo-bytes", Param(every), Result(&echoed));
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(echoed, every);
}

// A recursive parser would overflow the parent's stack here (SIGSEGV).
TEST_F(ChildFaultsTest, DeeplyNestedJsonIsRefusedWithoutCrashingTheParent) {
  RawJson result;
  const absl::Status status = RunReexecAction("deep-json", Result(&result));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_THAT(status.message(), HasSubstr("nested deeper than 256"));
}

TEST_F(ChildFaultsTest, StderrFloodBeforeACrashKeepsBothEnds) {
  const absl::Status status = RunReexecAction("stderr-flood-then-abort");
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  EXPECT_THAT(status.message(), HasSubstr("first line"));
  EXPECT_THAT(status.message(), HasSubstr("last line"));
  EXPECT_THAT(status.message(), HasSubstr("bytes omitted"));
  EXPECT_LT(status.message().size(), std::size_t{100} << 10);
}

// Only a timeout stops a child that writes forever (see the README).
TEST_F(ChildFaultsTest, EndlessStdoutIsStoppedByTheTimeout) {
  const absl::Status status =
      RunReexecAction("stdout-flood-forever", Timeout(absl::Milliseconds(300)));
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
}

TEST_F(ChildFaultsTest, ChildWithoutPipesIsStillTimedOutAndReaped) {
  const absl::Status status = RunReexecAction("close-everything-and-hang",
                                              Timeout(absl::Milliseconds(200)));
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
}

// The child's exit ends the call even though its pipes stay open in a
// grandchild (which is not the parent's child, and is killed here).
TEST_F(ChildFaultsTest, GrandchildHoldingThePipesDoesNotBlockTheCall) {
  int grandchild = 0;
  const absl::Status status =
      RunReexecAction("grandchild-keeps-pipes", Result(&grandchild));
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_GT(grandchild, 1);
  EXPECT_EQ(kill(grandchild, SIGKILL), 0);
}

}  // namespace
}  // namespace gons::reexec
