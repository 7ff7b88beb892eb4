// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "gons/order.h"

namespace gons {

bool ParseOrder(const char* text, ParsedOrder* order, OrderParseError* error) {
  order->count = 0;
  order->tolerant = false;
  const char* prefix = kTolerantPrefix;
  const char* rest = text;
  for (; *prefix != '\0' && *rest == *prefix; ++prefix) ++rest;
  if (*prefix == '\0') {
    order->tolerant = true;
    text = rest;
  }
  *error = OrderParseError{OrderErrorKind::kNone, 0, text, 0};
  if (*text == '\0') return true;

  bool seen[kNumNamespaceTypes] = {};
  const char* element = text;
  for (int element_number = 1;; ++element_number) {
    const char* end = element;
    while (*end != '\0' && *end != ',') ++end;
    const std::size_t length = static_cast<std::size_t>(end - element);
    const bool open_early = length > 0 && element[0] == '!';
    const char* name = open_early ? element + 1 : element;
    const std::size_t name_length = open_early ? length - 1 : length;

    OrderErrorKind kind = OrderErrorKind::kNone;
    const int type_index = FindNamespaceTypeIndex(name, name_length);
    if (name_length == 0) {
      kind = OrderErrorKind::kEmptyElement;
    } else if (type_index < 0) {
      kind = OrderErrorKind::kUnknownType;
    } else if (seen[type_index]) {
      kind = OrderErrorKind::kDuplicateType;
    }
    if (kind != OrderErrorKind::kNone) {
      *error = OrderParseError{kind, element_number, element, length};
      return false;
    }
    // Each type is seen at most once, so count stays below kNumNamespaceTypes.
    seen[type_index] = true;
    order->steps[order->count++] = OrderStep{type_index, open_early};

    if (*end == '\0') return true;
    element = end + 1;  // Skip the comma; a trailing one yields "" next.
  }
}

const char* DescribeOrderError(OrderErrorKind kind) {
  switch (kind) {
    case OrderErrorKind::kNone:
      return "no error";
    case OrderErrorKind::kEmptyElement:
      return "empty element (a namespace type is missing)";
    case OrderErrorKind::kUnknownType:
      return "unknown namespace type (expected one of user, mnt, cgroup, "
             "ipc, net, pid, uts, time, optionally prefixed by '!')";
    case OrderErrorKind::kDuplicateType:
      return "namespace type listed more than once";
  }
  return "unknown error";
}

}  // namespace gons
