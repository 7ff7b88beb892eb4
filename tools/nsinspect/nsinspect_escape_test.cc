// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: what a hostile namespace names reaches the terminal escaped
// and the JSON as valid UTF-8 (escape.h).

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/subprocess.h"
#include "rapidjson/document.h"
#include "tools/nsinspect/nsinspect_fixture.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {
namespace {

using ::gons::integration::SubprocessResult;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

class NsinspectEscapeTest : public NsinspectFixture {};

// A hostile namespace's names reach the terminal escaped and the JSON as
// valid UTF-8 (escape.h): an ESC sequence and a byte that is not UTF-8 in
// the host name, a newline in a mount point. hostname(1) refuses such a
// name, so perl calls sethostname(2) (170 on x86-64) itself.
TEST_P(NsinspectEscapeTest, EscapesWhatTheNamespaceNames) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "the test names sethostname by its x86-64 number";
#endif
  auto holder = Hold(kUnshareLauncher, std::string(kUnshareSetup) + R"(
perl -e '$n = "gons\e[31m\xffx";
  syscall(170, $n, length $n) == 0 or die "sethostname: $!"'
point=$(printf '/mnt/a\nb')
mkdir "$point"
mount -t tmpfs gons-newline "$point"
latin1=$(printf '/mnt/caf\351')
mkdir "$latin1"
mount -t tmpfs gons-latin1 "$latin1"
link=$(printf 'v\377')
ip link add "$link" type veth peer name gons2
)");
  ASSERT_NE(holder, nullptr);
  const std::string pid = absl::StrCat(holder->pid());
  const SubprocessResult table = Run({"--pid", pid});
  EXPECT_EQ(table.exit_code, 0) << table.standard_error;
  EXPECT_EQ(table.standard_output.find('\x1b'), std::string::npos);
  EXPECT_EQ(table.standard_output.find('\xff'), std::string::npos);
  EXPECT_THAT(table.standard_output,
              HasSubstr("host name:    gons\\x1b[31m\\xffx\n"));
  EXPECT_THAT(table.standard_output,
              ContainsRegex("\n  /mnt/a\\\\x0ab +tmpfs +gons-newline "));

  const rapidjson::Document json = RunJson({"--pid", pid}, 0);
  NamespaceView view = ViewOf(json, 0);
  EXPECT_EQ(view.uts.host_name, "gons\x1b[31m\xef\xbf\xbdx");
  EXPECT_NE(FindMount(view, "/mnt/a\nb"), nullptr);
  // Names that are not UTF-8 cross from the child byte for byte
  // (wire_strings.h): the table shows the byte, the JSON U+FFFD.
  EXPECT_THAT(table.standard_output,
              ContainsRegex("\n  /mnt/caf\\\\xe9 +tmpfs +gons-latin1 "));
  EXPECT_THAT(table.standard_output, HasSubstr("v\\xff"));
  EXPECT_NE(FindMount(view, "/mnt/caf\xef\xbf\xbd"), nullptr);
  EXPECT_NE(FindInterface(view, "v\xef\xbf\xbd"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Privileges, NsinspectEscapeTest,
                         ::testing::ValuesIn(PrivilegeValues()),
                         PrivilegeTestName);

}  // namespace
}  // namespace gons::nsinspect
