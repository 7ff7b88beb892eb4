// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "gons/order.h"

#include <string>

#include "gtest/gtest.h"

namespace gons {
namespace {

// Formats a parsed order back to text, for compact expectations.
std::string Format(const ParsedOrder& order) {
  std::string text = order.tolerant ? kTolerantPrefix : "";
  for (int step = 0; step < order.count; ++step) {
    if (step > 0) text += ",";
    if (order.steps[step].open_early) text += "!";
    text += kNamespaceTypes[order.steps[step].type_index].name;
  }
  return text;
}

struct Rejection {
  OrderErrorKind kind;
  int element_number;
  std::string element;
};

Rejection Reject(const char* text) {
  ParsedOrder order;
  OrderParseError error;
  EXPECT_FALSE(ParseOrder(text, &order, &error)) << text;
  return Rejection{error.kind, error.element_number,
                   std::string(error.element, error.element_length)};
}

std::string Accept(const char* text) {
  ParsedOrder order;
  OrderParseError error;
  EXPECT_TRUE(ParseOrder(text, &order, &error)) << text;
  return Format(order);
}

TEST(OrderTest, ParsesDefaultOrder) {
  EXPECT_EQ(Accept(kDefaultOrder), kDefaultOrder);
}

TEST(OrderTest, DefaultOrderIsTolerant) {
  ParsedOrder order;
  OrderParseError error;
  ASSERT_TRUE(ParseOrder(kDefaultOrder, &order, &error));
  EXPECT_TRUE(order.tolerant);
  EXPECT_EQ(order.count, kNumNamespaceTypes);
}

TEST(OrderTest, ExplicitOrderIsStrictUnlessPrefixed) {
  ParsedOrder order;
  OrderParseError error;
  ASSERT_TRUE(ParseOrder("!user,net", &order, &error));
  EXPECT_FALSE(order.tolerant);
  EXPECT_EQ(Accept("tolerant:net,!user"), "tolerant:net,!user");
  EXPECT_EQ(Accept("tolerant:"), "tolerant:");
  // Only the exact prefix, once, at the start.
  EXPECT_EQ(Reject("tolerant:tolerant:net").kind, OrderErrorKind::kUnknownType);
  EXPECT_EQ(Reject("Tolerant:net").kind, OrderErrorKind::kUnknownType);
  EXPECT_EQ(Reject("net,tolerant:uts").kind, OrderErrorKind::kUnknownType);
  EXPECT_EQ(Reject("tolerant").kind, OrderErrorKind::kUnknownType);
}

TEST(OrderTest, KeepsCallersOrderAndBangs) {
  EXPECT_EQ(Accept("net,!uts,user"), "net,!uts,user");
  EXPECT_EQ(Accept("time"), "time");
  EXPECT_EQ(Accept("!cgroup,ipc,!pid,mnt"), "!cgroup,ipc,!pid,mnt");
}

TEST(OrderTest, EmptyOrderHasNoSteps) {
  ParsedOrder order;
  OrderParseError error;
  ASSERT_TRUE(ParseOrder("", &order, &error));
  EXPECT_EQ(order.count, 0);
}

TEST(OrderTest, RejectsEmptyElements) {
  for (const char* text : {",", "net,", ",net", "net,,uts", "!", "net,!"}) {
    EXPECT_EQ(Reject(text).kind, OrderErrorKind::kEmptyElement) << text;
  }
  const Rejection trailing = Reject("net,uts,");
  EXPECT_EQ(trailing.element_number, 3);
  EXPECT_EQ(trailing.element, "");
}

TEST(OrderTest, RejectsUnknownTypesWithTheirPosition) {
  for (const char* text : {"NET", " net", "net ", "net, uts", "!!net", "!net!",
                           "network", "ne", "mount", "net;uts", "user\tmnt"}) {
    EXPECT_EQ(Reject(text).kind, OrderErrorKind::kUnknownType) << text;
  }
  const Rejection rejection = Reject("user,mnt,Net,uts");
  EXPECT_EQ(rejection.element_number, 3);
  EXPECT_EQ(rejection.element, "Net");
  EXPECT_EQ(Reject("!!net").element, "!!net");
}

TEST(OrderTest, RejectsDuplicatesWithAndWithoutBang) {
  for (const char* text : {"net,net", "!net,net", "net,!net", "!net,!net",
                           "user,mnt,cgroup,ipc,net,pid,uts,time,user"}) {
    EXPECT_EQ(Reject(text).kind, OrderErrorKind::kDuplicateType) << text;
  }
  const Rejection rejection = Reject("uts,net,!uts");
  EXPECT_EQ(rejection.element_number, 3);
  EXPECT_EQ(rejection.element, "!uts");
}

TEST(OrderTest, RejectsVeryLongValuesWithoutReadingPastThem) {
  std::string long_type(1 << 20, 'n');
  EXPECT_EQ(Reject(long_type.c_str()).kind, OrderErrorKind::kUnknownType);
  EXPECT_EQ(Reject(long_type.c_str()).element.size(), long_type.size());

  std::string many_commas(1 << 16, ',');
  EXPECT_EQ(Reject(many_commas.c_str()).kind, OrderErrorKind::kEmptyElement);

  // Every valid type once, then the same again: the first repeat is caught.
  const std::string types =
      std::string(kDefaultOrder).substr(sizeof(kTolerantPrefix) - 1);
  std::string repeated = types + "," + types;
  const Rejection rejection = Reject(repeated.c_str());
  EXPECT_EQ(rejection.kind, OrderErrorKind::kDuplicateType);
  EXPECT_EQ(rejection.element_number, 9);
}

TEST(OrderTest, DescribesEveryErrorKind) {
  for (OrderErrorKind kind :
       {OrderErrorKind::kNone, OrderErrorKind::kEmptyElement,
        OrderErrorKind::kUnknownType, OrderErrorKind::kDuplicateType}) {
    EXPECT_NE(std::string(DescribeOrderError(kind)), "");
  }
  EXPECT_NE(std::string(DescribeOrderError(OrderErrorKind::kUnknownType))
                .find("expected one of"),
            std::string::npos);
}

}  // namespace
}  // namespace gons
