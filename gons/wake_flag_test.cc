// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "gons/wake_flag.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace gons::internal {
namespace {

TEST(WakeFlagTest, WaitReturnsAtOnceWhenRaised) {
  WakeFlag flag;
  EXPECT_FALSE(flag.IsRaised());
  flag.Raise();
  EXPECT_TRUE(flag.IsRaised());
  flag.Wait();
  flag.Lower();
  EXPECT_FALSE(flag.IsRaised());
}

// What the raiser wrote is seen by the waiter (ThreadSanitizer checks the
// ordering too), round after round, whichever of the two comes first.
TEST(WakeFlagTest, HandsValuesBackAndForth) {
  WakeFlag to_worker, to_caller;
  int value = 0;
  constexpr int kRounds = 2000;
  std::thread worker([&] {
    for (int round = 0; round < kRounds; ++round) {
      to_worker.Wait();
      to_worker.Lower();
      value = value * 3 + 1;
      to_caller.Raise();
    }
  });
  int expected = 0;
  for (int round = 0; round < kRounds; ++round) {
    value = round;
    to_worker.Raise();
    to_caller.Wait();
    to_caller.Lower();
    expected = round * 3 + 1;
    ASSERT_EQ(value, expected);
  }
  worker.join();
}

// A waiter may destroy the flag once Wait() returns, while the raiser is
// still in its FUTEX_WAKE.
TEST(WakeFlagTest, WaiterMayDestroyTheFlagOnceWoken) {
  for (int round = 0; round < 200; ++round) {
    std::thread raiser;
    {
      WakeFlag flag;
      raiser = std::thread([&flag] { flag.Raise(); });
      flag.Wait();
    }
    raiser.join();
  }
}

}  // namespace
}  // namespace gons::internal
