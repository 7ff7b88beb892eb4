// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/nsinspect_fixture.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/probe_runner.h"
#include "integration/subprocess.h"
#include "rapidjson/document.h"
#include "reexec/json.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {

using ::gons::integration::NamespaceHolder;
using ::gons::integration::Privilege;
using ::gons::integration::SubprocessResult;

// A user, mount, uts, net and IPC namespace with known content.
const std::vector<std::string> kUnshareLauncher = {
    "unshare", "--user", "--map-root-user", "--mount", "--uts",
    "--net",   "--ipc"};
const char kUnshareSetup[] = R"(
hostname gons-unshare
ip link add gons0 type veth peer name gons1
ip addr add 10.199.0.1/24 dev gons0
ip link set gons0 up
ip link set gons1 up
mount -t tmpfs gons-unshare-tmpfs /mnt
ipcmk -M 4096 >/dev/null
)";

// The same kinds, plus a PID namespace with its own /proc, made by bwrap.
const std::vector<std::string> kBwrapLauncher = {"bwrap",
                                                 "--unshare-user",
                                                 "--unshare-uts",
                                                 "--unshare-net",
                                                 "--unshare-ipc",
                                                 "--unshare-pid",
                                                 "--uid",
                                                 "0",
                                                 "--cap-add",
                                                 "CAP_NET_ADMIN",
                                                 "--hostname",
                                                 "gons-bwrap",
                                                 "--dev-bind",
                                                 "/",
                                                 "/",
                                                 "--proc",
                                                 "/proc",
                                                 "--tmpfs",
                                                 "/mnt"};
const char kBwrapSetup[] = R"(
ip addr add 10.199.1.1/24 dev lo
ip link set lo up
ipcmk -Q >/dev/null
)";

// Decodes the view of target `index` of nsinspect's --json output.
NamespaceView ViewOf(const rapidjson::Document& json, int index) {
  NamespaceView view;
  const rapidjson::Value& target = json["targets"][index];
  EXPECT_TRUE(target["ok"].GetBool());
  const absl::Status status =
      reexec::JsonCodec<NamespaceView>::Decode(target["view"], &view);
  EXPECT_TRUE(status.ok()) << status;
  return view;
}

const NetworkInterface* FindInterface(const NamespaceView& view,
                                      const std::string& name) {
  for (const NetworkInterface& interface : view.interfaces) {
    if (interface.name == name) return &interface;
  }
  return nullptr;
}

const Mount* FindMount(const NamespaceView& view, const std::string& point) {
  const Mount* found = nullptr;
  for (const Mount& mount : view.mounts) {
    if (mount.mount_point == point) found = &mount;  // The topmost.
  }
  return found;
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

std::vector<Privilege> PrivilegeValues() {
  return integration::AvailablePrivileges();
}

std::string PrivilegeTestName(
    const ::testing::TestParamInfo<Privilege>& param) {
  return integration::PrivilegeName(param.param);
}

void NsinspectFixture::SetUp() {
  if (std::string why = integration::PrivilegeUnavailable(GetParam());
      !why.empty()) {
    GTEST_SKIP() << why;
  }
  if (std::string why = integration::UserNamespacesUnavailable(GetParam());
      !why.empty()) {
    GONS_SKIP_OR_FAIL(why);
  }
  // A copy that the unprivileged user can run, too.
  absl::StatusOr<integration::ProbeCopy> copy =
      integration::ProbeCopy::Create("tools/nsinspect/nsinspect");
  ASSERT_TRUE(copy.ok()) << copy.status();
  nsinspect_ = std::make_unique<integration::ProbeCopy>(*std::move(copy));
}

bool NsinspectFixture::drop() const {
  return integration::MustDropPrivileges(GetParam());
}

std::unique_ptr<NamespaceHolder> NsinspectFixture::Hold(
    const std::vector<std::string>& launcher, const std::string& setup) {
  absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder =
      NamespaceHolder::Start(launcher, setup, drop());
  EXPECT_TRUE(holder.ok()) << holder.status();
  return holder.ok() ? *std::move(holder) : nullptr;
}

SubprocessResult NsinspectFixture::Run(
    const std::vector<std::string>& arguments) {
  std::vector<std::string> argv = {nsinspect_->path()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return RunTool(argv);
}

SubprocessResult NsinspectFixture::RunTool(
    const std::vector<std::string>& argv) {
  integration::SubprocessOptions options;
  options.argv = argv;
  if (!argv.empty() && argv[0].find('/') == std::string::npos) {
    absl::StatusOr<std::string> program = integration::FindProgram(argv[0]);
    EXPECT_TRUE(program.ok()) << program.status();
    if (!program.ok()) return SubprocessResult();
    options.argv[0] = *program;
  }
  options.environment = integration::CleanEnvironment();
  options.unprivileged = drop();
  absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : SubprocessResult();
}

rapidjson::Document NsinspectFixture::RunJson(
    const std::vector<std::string>& arguments, int expected_exit) {
  std::vector<std::string> with_json = {"--json"};
  with_json.insert(with_json.end(), arguments.begin(), arguments.end());
  const SubprocessResult result = Run(with_json);
  EXPECT_EQ(result.exit_code, expected_exit) << result.standard_error;
  rapidjson::Document json;
  json.Parse(result.standard_output.c_str());
  EXPECT_FALSE(json.HasParseError()) << result.standard_output;
  if (json.HasParseError()) json.Parse(R"({"targets": []})");
  return json;
}

}  // namespace gons::nsinspect
