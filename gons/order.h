// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: order.h
// -----------------------------------------------------------------------------
//
// Parses `gons_order`: a comma-separated list of namespace types, each
// optionally prefixed by `!` ("open this path before the first switch").
// The parser is C-like (no allocation, no exceptions, no globals) because the
// switcher runs it before `main()`.
//
// Grammar, strict on purpose so that a typo is an error rather than a silently
// skipped namespace:
//
//   order   := ["tolerant:"] list
//   list    := "" | element ("," element)*
//   element := ["!"] type
//   type    := "user" | "mnt" | "cgroup" | "ipc" | "net" | "pid" | "uts" |
//              "time"
//
// No white space, no upper case, each type at most once (with or without `!`).
//
// An order is strict: the switches run in its order and the first failure
// stops them. With the `tolerant:` prefix (the default order has it) the
// user switch moves to where the privileges it gives up are no longer
// needed, as util-linux nsenter and runc do: a first pass enters, in order,
// every other type that the caller's privileges allow (a refused setns() is
// left for later, and so is a plain type listed after a mnt that was left,
// so that its path still resolves after the mount switch); then the user
// namespace is entered (a plain `user` path is opened at its place in the
// first pass); then a second pass retries, in order, what the first left,
// strictly. Without a user namespace to enter, a tolerant order is strict.
//
// Example:
//
//   gons::ParsedOrder order;
//   gons::OrderParseError error;
//   if (!gons::ParseOrder("!user,mnt", &order, &error)) { ... }
//   // order.count == 2, order.steps[0].open_early == true

#ifndef GONS_ORDER_H_
#define GONS_ORDER_H_

#include <cstddef>

#include "gons/environment.h"
#include "gons/namespace_types.h"

namespace gons {

// One element of an order: which type, and whether its path is opened before
// the first namespace switch.
struct OrderStep {
  int type_index;   // Index into kNamespaceTypes.
  bool open_early;  // Written as `!type`.
};

// A parsed order. Because each type may appear once, it never has more steps
// than there are types.
struct ParsedOrder {
  OrderStep steps[kNumNamespaceTypes];
  int count;
  bool tolerant;  // Written with the `tolerant:` prefix.
};

// Why an order was rejected.
enum class OrderErrorKind : unsigned char {
  kNone,
  kEmptyElement,   // "", "!" between commas, or a leading/trailing comma.
  kUnknownType,    // Not a name in kNamespaceTypes ("NET", " net", "!!net").
  kDuplicateType,  // The same type twice, with or without `!`.
};

// Where and why parsing failed. `element` points into the parsed text.
struct OrderParseError {
  OrderErrorKind kind;
  int element_number;   // 1-based position of the offending element.
  const char* element;  // Its first character (not NUL-terminated).
  std::size_t element_length;
};

// Parses `text` into `order`. Returns true on success; otherwise fills `error`
// and leaves `order` unspecified. An empty `text` is a valid order with no
// steps. Safe before `main()` and from any thread; touches no global state.
bool ParseOrder(const char* text, ParsedOrder* order, OrderParseError* error);

// Returns a short English description of `kind`, such as "unknown namespace
// type". Never returns null.
const char* DescribeOrderError(OrderErrorKind kind);

}  // namespace gons

#endif  // GONS_ORDER_H_
