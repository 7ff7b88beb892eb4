// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/wire_strings.h"

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "reexec/json.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {
namespace {

std::string EveryByte() {
  std::string bytes;
  for (int byte = 0; byte < 256; ++byte) {
    bytes.push_back(static_cast<char>(byte));
  }
  return bytes;
}

TEST(WireStringsTest, EveryByteSurvivesAndTheWireIsUtf8) {
  const std::string bytes = EveryByte() + "caf\xc3\xa9\\x41";
  const std::string wire = EscapeForWire(bytes);
  EXPECT_TRUE(reexec::internal::CheckUtf8(wire, "the wire form").ok());
  const absl::StatusOr<std::string> back = UnescapeFromWire(wire);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, bytes);
  EXPECT_EQ(EscapeForWire("eth\xff\\"), "eth\\xff\\x5c");
  EXPECT_EQ(EscapeForWire("caf\xc3\xa9"), "caf\xc3\xa9");
}

TEST(WireStringsTest, RefusesWhatNoEscapeMadeFromAHostileChild) {
  for (const char* wire : {"\\", "a\\x", "\\x4", "\\xg0", "\\X41", "\\n"}) {
    EXPECT_EQ(UnescapeFromWire(wire).status().code(),
              absl::StatusCode::kDataLoss)
        << wire;
  }
}

// The path a view takes: escaped in the child, JSON that reexec accepts,
// unescaped in nsinspect, every name byte for byte.
TEST(WireStringsTest, ViewWithNamesThatAreNotUtf8CrossesReexecJson) {
  NamespaceView view;
  view.uts.host_name = "gons\x1b[31m\xffx";
  view.interfaces.push_back(NetworkInterface());
  view.interfaces[0].name = "eth\xfe";
  view.interfaces[0].addresses.push_back(InterfaceAddress());
  view.interfaces[0].addresses[0].label = "eth\xfe:\\1";
  view.mounts.push_back(Mount());
  view.mounts[0].mount_point = "/mnt/\xc0\xaf\n";
  view.errors["m\xffounts"] = "\xed\xa0\x80";
  EXPECT_FALSE(reexec::TryEncodeJson(view).ok());  // Strict UTF-8.

  NamespaceView wire = view;
  EscapeEveryString(&wire);
  const absl::StatusOr<std::string> json = reexec::TryEncodeJson(wire);
  ASSERT_TRUE(json.ok()) << json.status();
  NamespaceView received;
  ASSERT_TRUE(reexec::DecodeJson(*json, &received).ok());
  const absl::Status status = UnescapeEveryString(&received);
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(received.interfaces.size(), 1u);
  ASSERT_EQ(received.interfaces[0].addresses.size(), 1u);
  ASSERT_EQ(received.mounts.size(), 1u);
  EXPECT_EQ(received.uts.host_name, view.uts.host_name);
  EXPECT_EQ(received.interfaces[0].name, view.interfaces[0].name);
  EXPECT_EQ(received.interfaces[0].addresses[0].label,
            view.interfaces[0].addresses[0].label);
  EXPECT_EQ(received.mounts[0].mount_point, view.mounts[0].mount_point);
  EXPECT_EQ(received.errors, view.errors);
}

}  // namespace
}  // namespace gons::nsinspect
