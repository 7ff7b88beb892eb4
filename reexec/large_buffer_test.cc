// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/large_buffer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace gons::reexec::internal {
namespace {

TEST(LargeBufferTest, ReserveKeepsTheContents) {
  for (const std::size_t capacity : {std::size_t{100}, std::size_t{64} << 20}) {
    std::string buffer = "kept";
    ReserveLargeBuffer(&buffer, capacity);
    EXPECT_EQ(buffer, "kept");
    EXPECT_GE(buffer.capacity(), capacity);
  }
}

TEST(LargeBufferTest, ReadAppendCollectsEverythingUpToTheEnd) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  std::string sent(5 << 20, ' ');
  for (std::size_t i = 0; i < sent.size(); ++i) {
    sent[i] = static_cast<char>('a' + i % 23);
  }
  std::thread writer([&] {
    for (std::size_t at = 0; at < sent.size();) {
      const ssize_t written = write(fds[1], sent.data() + at, sent.size() - at);
      if (written < 0) break;
      at += static_cast<std::size_t>(written);
    }
    close(fds[1]);
  });
  std::string received = "head:";
  long got;
  while ((got = ReadAppend(fds[0], &received)) > 0) {
  }
  writer.join();
  close(fds[0]);
  EXPECT_EQ(got, 0);
  EXPECT_TRUE(received == "head:" + sent) << received.size();
}

TEST(LargeBufferTest, ReadAppendReportsErrorsAndKeepsTheBuffer) {
  std::string buffer = "kept";
  EXPECT_EQ(ReadAppend(-1, &buffer), -1);
  EXPECT_EQ(errno, EBADF);
  EXPECT_EQ(buffer, "kept");
}

}  // namespace
}  // namespace gons::reexec::internal
