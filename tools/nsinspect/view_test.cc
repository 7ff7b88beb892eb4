// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/view.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reexec/json.h"

namespace gons::nsinspect {
namespace {

using ::testing::HasSubstr;

NamespaceView SampleView() {
  NamespaceView view;
  view.namespace_ids = {{"net", 4026532000}, {"uts", 4026532001}};
  view.uts = {"box", "(none)"};
  NetworkInterface interface;
  interface.name = "gons0";
  interface.index = 3;
  interface.up = true;
  interface.carrier = true;
  interface.flags = {"UP", "LOWER_UP"};
  interface.mtu = 1500;
  interface.hardware_address = "02:00:00:00:00:01";
  interface.addresses = {{"inet", "10.1.2.3", 24, ""}};
  view.interfaces = {interface};
  view.mounts = {{41, 22, "/", "/mnt", "tmpfs", "gons", "rw", "rw,size=4k",
                  "shared,slave", 7, 3}};
  view.uid_map = {{0, 1000, 1}};
  view.gid_map = {{0, 1000, 1}};
  view.cgroups = {{0, "", "/"}};
  view.ipc_objects = {{"shm", "0xfffffffb", 2, "644", 0, 4096}};
  view.posix_queues = {{"/gons-q", "640", 0, 10, 8192, 1, 5}};
  view.errors = {{"mounts", "/proc/self/mountinfo: gone"}};
  return view;
}

TEST(ViewTest, RoundTripsThroughJson) {
  const NamespaceView view = SampleView();
  NamespaceView decoded;
  const absl::Status status =
      reexec::DecodeJson(reexec::EncodeJson(view), &decoded);
  ASSERT_TRUE(status.ok()) << status;
  // Encoding is deterministic, so equal text means equal views.
  EXPECT_EQ(reexec::EncodeJson(decoded), reexec::EncodeJson(view));
  EXPECT_EQ(decoded.interfaces.at(0).addresses.at(0).address, "10.1.2.3");
  EXPECT_EQ(decoded.ipc_objects.at(0).key, "0xfffffffb");
  EXPECT_EQ(decoded.mounts.at(0).super_options, "rw,size=4k");
  EXPECT_EQ(decoded.mounts.at(0).master, 3);
  EXPECT_EQ(decoded.posix_queues.at(0).message_size, 8192);
}

TEST(ViewTest, NamesMembersInJson) {
  const std::string json = reexec::EncodeJson(SampleView());
  EXPECT_THAT(json, HasSubstr(R"("uts":{"host_name":"box")"));
  EXPECT_THAT(json, HasSubstr(R"("mount_point":"/mnt")"));
  EXPECT_THAT(json, HasSubstr(R"("errors":{"mounts":)"));
}

TEST(ViewTest, RefusesMissingOrMistypedMembersSayingWhere) {
  UtsNames uts;
  absl::Status status = reexec::DecodeJson(R"({"host_name":"a"})", &uts);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("domain_name"));

  NetworkInterface interface;
  std::string json = reexec::EncodeJson(SampleView().interfaces.at(0));
  json.replace(json.find("1500"), 4, "\"big\"");
  status = reexec::DecodeJson(json, &interface);
  EXPECT_THAT(status.message(), HasSubstr("$.mtu"));
}

}  // namespace
}  // namespace gons::nsinspect
