// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/large_buffer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <string>
#include <thread>
#include <utility>

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

// Writes `size` bytes of a pattern into a pipe from a thread, reads them
// with ReadAppend() into `*buffer` to the end, and returns them.
std::string SendThroughAPipe(std::size_t size, std::string* buffer) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return "";
  std::string sent(size, ' ');
  for (std::size_t i = 0; i < size; ++i) {
    sent[i] = static_cast<char>('A' + i % 19);
  }
  std::thread writer([&] {
    for (std::size_t at = 0; at < sent.size();) {
      const ssize_t written = write(fds[1], sent.data() + at, sent.size() - at);
      if (written < 0) break;
      at += static_cast<std::size_t>(written);
    }
    close(fds[1]);
  });
  while (ReadAppend(fds[0], buffer) > 0) {
  }
  writer.join();
  close(fds[0]);
  return sent;
}

TEST(LargeBufferTest, ReadAppendFillsAnExactlyReservedBufferAndNoMore) {
  // Reserved at the size that comes (as the child does at the announced
  // size), a buffer is filled without a growth, the end of file included;
  // one byte more, and it grows.
  for (const std::size_t size :
       {std::size_t{100}, std::size_t{4096}, std::size_t{65539},
        std::size_t{1} << 20, (std::size_t{4} << 20) + 2}) {
    std::string buffer;
    ReserveLargeBuffer(&buffer, size);
    const std::size_t capacity = buffer.capacity();
    std::string sent = SendThroughAPipe(capacity, &buffer);
    EXPECT_TRUE(buffer == sent) << size;
    EXPECT_EQ(buffer.capacity(), capacity) << size;
    std::string more;
    ReserveLargeBuffer(&more, size);
    sent = SendThroughAPipe(more.capacity() + 1, &more);
    EXPECT_TRUE(more == sent) << size;
    EXPECT_GT(more.capacity(), capacity) << size;
  }
}

TEST(LargeBufferTest, ReadAppendReportsErrorsAndKeepsTheBuffer) {
  std::string buffer = "kept";
  EXPECT_EQ(ReadAppend(-1, &buffer), -1);
  EXPECT_EQ(errno, EBADF);
  EXPECT_EQ(buffer, "kept");
}

// A pipe whose writer thread sends `text` and then closes its end.
class PipeFeed {
 public:
  explicit PipeFeed(std::string text) : text_(std::move(text)) {
    EXPECT_EQ(pipe2(fds_, O_CLOEXEC), 0);
    writer_ = std::thread([this] {
      for (std::size_t at = 0; at < text_.size();) {
        const ssize_t written =
            write(fds_[1], text_.data() + at, text_.size() - at);
        if (written < 0) break;
        at += static_cast<std::size_t>(written);
      }
      close(fds_[1]);
    });
  }
  ~PipeFeed() {
    writer_.join();
    close(fds_[0]);
  }
  int reader() const { return fds_[0]; }

 private:
  std::string text_;
  int fds_[2] = {-1, -1};
  std::thread writer_;
};

std::string Pattern(std::size_t size) {
  std::string text(size, ' ');
  for (std::size_t i = 0; i < size; ++i) {
    text[i] = static_cast<char>('a' + i % 23);
  }
  return text;
}

// Around the thresholds: a new string's few bytes, the 4 KiB probe, a
// pipe's 64 KiB, 1 MiB, and the 4 MiB from which huge pages are advised.
const std::size_t kSizes[] = {0,
                              1,
                              4095,
                              4096,
                              4097,
                              65535,
                              65536,
                              65537,
                              (1 << 20) - 1,
                              (1 << 20),
                              (1 << 20) + 1,
                              (4 << 20) - 1,
                              (4 << 20),
                              (4 << 20) + 1};

TEST(LargeBufferTest, ReadAppendFillsAnExactReservationWithoutMovingIt) {
  for (const std::size_t size : kSizes) {
    const std::string sent = Pattern(size);
    PipeFeed feed(sent);
    std::string received;
    ReserveLargeBuffer(&received, size);
    const char* const data = received.data();
    const std::size_t capacity = received.capacity();
    long got;
    while ((got = ReadAppend(feed.reader(), &received)) > 0) {
    }
    EXPECT_EQ(got, 0) << size;
    EXPECT_TRUE(received == sent) << size << ": " << received.size();
    // Not grown, not even for the end of file.
    EXPECT_EQ(received.capacity(), capacity) << size;
    EXPECT_EQ(received.data(), data) << size;
  }
}

TEST(LargeBufferTest, ReadAppendGrowsWhenMoreComesThanReserved) {
  for (const std::size_t size : kSizes) {
    for (const std::size_t more : {std::size_t{1}, std::size_t{70000}}) {
      const std::string sent = Pattern(size + more);
      PipeFeed feed(sent);
      std::string received;
      ReserveLargeBuffer(&received, size);
      long got;
      while ((got = ReadAppend(feed.reader(), &received)) > 0) {
      }
      EXPECT_EQ(got, 0);
      EXPECT_TRUE(received == sent) << size << "+" << more;
    }
  }
}

TEST(LargeBufferTest, ReadAppendKeepsEveryByteOfASlowWriter) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  const std::string sent = Pattern(300000);
  std::thread writer([&] {
    // Odd pieces, so that reads end anywhere in the buffer.
    for (std::size_t at = 0; at < sent.size();) {
      const std::size_t piece = std::min<std::size_t>(4093, sent.size() - at);
      const ssize_t written = write(fds[1], sent.data() + at, piece);
      if (written < 0) break;
      at += static_cast<std::size_t>(written);
      std::this_thread::yield();
    }
    close(fds[1]);
  });
  std::string received;
  long got;
  while ((got = ReadAppend(fds[0], &received)) > 0) {
  }
  writer.join();
  close(fds[0]);
  EXPECT_EQ(got, 0);
  EXPECT_TRUE(received == sent) << received.size();
}

TEST(LargeBufferTest, GrowPipeForGrowsAPipeUpToTheLargePipe) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  EXPECT_TRUE(GrowPipeFor(fds[1], 200000));
  EXPECT_GE(fcntl(fds[1], F_GETPIPE_SZ), 200000);
  // Never larger than kLargePipe, never smaller than it was.
  EXPECT_TRUE(GrowPipeFor(fds[1], std::size_t{64} << 20));
  EXPECT_EQ(fcntl(fds[1], F_GETPIPE_SZ), static_cast<int>(kLargePipe));
  EXPECT_TRUE(GrowPipeFor(fds[1], 1));
  EXPECT_EQ(fcntl(fds[1], F_GETPIPE_SZ), static_cast<int>(kLargePipe));
  close(fds[0]);
  close(fds[1]);
}

TEST(LargeBufferTest, GrowPipeForRefusesWhatIsNoPipe) {
  const int file = open("/dev/null", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(file, 0);
  EXPECT_FALSE(GrowPipeFor(file, 1 << 20));
  close(file);
  EXPECT_FALSE(GrowPipeFor(-1, 1 << 20));
}

}  // namespace
}  // namespace gons::reexec::internal
