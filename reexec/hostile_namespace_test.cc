// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The defences of a re-executed child that enters namespaces a hostile
// container controls. Each test makes its own "container" (a user namespace
// from `unshare`), and each defence is shown next to a control run without
// it, so that a test cannot pass because its probe sees nothing:
// - Dumpable(false): a process of the container cannot open the child's
//   /proc entries (the way to the program file that runc's CVE-2019-5736
//   used), while it can open those of a dumpable child.
// - No library is loaded and no symbol bound after the switch: the dynamic
//   loader's own log (LD_DEBUG) shows nothing of the kind after it calls the
//   .preinit_array functions (but a sanitizer runtime's own lookups, which
//   come before the switcher), while it shows the control's dlopen() and, for
//   a child started without the runner's LD_BIND_NOW, the lazy bindings of
//   libstdc++.

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gons/environment.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/subprocess.h"
#include "reexec/leak_check.h"
#include "reexec/reexec.h"

namespace gons::reexec {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr int kWaitMilliseconds = 30000;

// Waits until `fd` is readable or its writer has gone; false on timeout.
bool AwaitReadable(int fd) {
  pollfd ready = {fd, POLLIN, 0};
  return poll(&ready, 1, kWaitMilliseconds) == 1;
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

const bool registered = [] {
  // Param: [ready FIFO, release FIFO]. Tells the test its pid through the
  // first, waits until the test has closed the second, and returns its
  // dumpable flag.
  Register("wait-for-inspection", [] {
    absl::StatusOr<std::vector<std::string>> fifos =
        ReadParam<std::vector<std::string>>();
    if (!fifos.ok() || fifos->size() != 2) std::abort();
    const int release = open((*fifos)[1].c_str(), O_RDONLY | O_NONBLOCK);
    const int ready = open((*fifos)[0].c_str(), O_WRONLY);
    if (release < 0 || ready < 0) std::abort();
    const std::string pid = absl::StrCat(getpid(), "\n");
    if (write(ready, pid.data(), pid.size()) != ssize_t(pid.size())) {
      std::abort();
    }
    close(ready);
    AwaitReadable(release);
    close(release);
    (void)WriteResult(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
  });
  // What a typical action does: read a param, use the standard library,
  // write a result.
  Register("typical-work", [] {
    absl::StatusOr<std::map<std::string, int>> numbers =
        ReadParam<std::map<std::string, int>>();
    if (!numbers.ok()) std::abort();
    std::vector<std::string> words;
    for (const auto& [name, number] : *numbers) {
      words.push_back(name + "=" + std::to_string(number));
    }
    (void)WriteResult(words);
  });
  // The control: loads a library after the switch, as an NSS lookup would.
  Register("load-a-library",
           [] { (void)WriteResult(dlopen("libz.so.1", RTLD_NOW) != nullptr); });
  return true;
}();

class HostileNamespaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    descriptors_ = leak_check::OpenDescriptors();
    if (std::string why = integration::UserNamespacesUnavailable(
            integration::CurrentPrivilege());
        !why.empty()) {
      GONS_SKIP_OR_FAIL(why);
    }
    const char* tmp = std::getenv("TEST_TMPDIR");
    directory_ = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/hostile.",
                              getpid(), ".", ++instances_);
    ASSERT_EQ(mkdir(directory_.c_str(), 0700), 0) << directory_;
    absl::StatusOr<std::unique_ptr<integration::NamespaceHolder>> holder =
        integration::NamespaceHolder::Start(
            {"unshare", "--user", "--map-root-user", "--uts"},
            "hostname container", /*unprivileged=*/false);
    ASSERT_TRUE(holder.ok()) << holder.status();
    container_ = *std::move(holder);
  }

  void TearDown() override {
    container_.reset();
    if (!directory_.empty()) {
      integration::SubprocessOptions remove;
      remove.argv = {"/bin/rm", "-rf", directory_};
      EXPECT_TRUE(integration::RunSubprocess(remove).ok());
    }
    EXPECT_EQ(leak_check::OpenDescriptors(), descriptors_);
    EXPECT_EQ(leak_check::ChildrenLeft(), "");
  }

  // The namespaces the child enters: the container's user and UTS ones.
  std::vector<Namespace> ContainerNamespaces() const {
    return {{"user", container_->NamespacePath("user")},
            {"uts", container_->NamespacePath("uts")}};
  }

  // Runs `program` (found in /usr/bin or /bin) inside the container's user
  // namespace, as its root.
  integration::SubprocessResult RunInContainer(
      std::vector<std::string> arguments) {
    absl::StatusOr<std::string> nsenter = integration::FindProgram("nsenter");
    EXPECT_TRUE(nsenter.ok()) << nsenter.status();
    integration::SubprocessOptions options;
    options.argv = {nsenter.value_or("nsenter"),
                    "--user=" + container_->NamespacePath("user"),
                    "--preserve-credentials", "--"};
    options.argv.insert(options.argv.end(), arguments.begin(), arguments.end());
    options.environment = integration::CleanEnvironment();
    absl::StatusOr<integration::SubprocessResult> result =
        integration::RunSubprocess(options);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.value_or(integration::SubprocessResult());
  }

  std::string directory_;
  std::unique_ptr<integration::NamespaceHolder> container_;

 private:
  static inline int instances_ = 0;
  std::vector<int> descriptors_;
};

// What a process of the container gets when it tries to read the
// /proc/PID/exe link and the environment of a child, dumpable or not.
struct Inspection {
  int child_dumpable = -1;  // PR_GET_DUMPABLE in the child.
  integration::SubprocessResult exe;
  integration::SubprocessResult environ;
};

class DumpableTest : public HostileNamespaceTest {
 protected:
  Inspection Inspect(bool dumpable) {
    Inspection inspection;
    const std::string ready = directory_ + "/ready";
    const std::string release = directory_ + "/release";
    EXPECT_EQ(mkfifo(ready.c_str(), 0600), 0);
    EXPECT_EQ(mkfifo(release.c_str(), 0600), 0);
    const int ready_fd = open(ready.c_str(), O_RDONLY | O_NONBLOCK);
    EXPECT_GE(ready_fd, 0);

    absl::Status status;
    std::thread runner([&] {
      status = RunReexecAction(
          "wait-for-inspection", Namespaces(ContainerNamespaces()),
          Param(std::vector<std::string>{ready, release}),
          Result(&inspection.child_dumpable), Dumpable(dumpable),
          Timeout(absl::Milliseconds(2 * kWaitMilliseconds)));
    });
    std::string line;
    char buffer[64];
    while (line.find('\n') == std::string::npos && AwaitReadable(ready_fd)) {
      const ssize_t got = read(ready_fd, buffer, sizeof(buffer));
      if (got <= 0) break;
      line.append(buffer, static_cast<std::size_t>(got));
    }
    close(ready_fd);
    int pid = 0;
    EXPECT_TRUE(absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &pid))
        << "no pid from the child: \"" << line << "\"";
    if (pid > 0) {
      inspection.exe = RunInContainer(
          {"/bin/readlink", "--verbose", absl::StrCat("/proc/", pid, "/exe")});
      inspection.environ =
          RunInContainer({"/bin/cat", absl::StrCat("/proc/", pid, "/environ")});
    }
    // Opening and closing the write end releases the child.
    const int release_fd = open(release.c_str(), O_WRONLY | O_NONBLOCK);
    EXPECT_GE(release_fd, 0);
    close(release_fd);
    runner.join();
    EXPECT_TRUE(status.ok()) << status;
    return inspection;
  }
};

TEST_F(DumpableTest, ContainerProcessCanInspectADumpableChild) {
  const Inspection inspection = Inspect(/*dumpable=*/true);
  EXPECT_EQ(inspection.child_dumpable, 1);
  EXPECT_EQ(inspection.exe.exit_code, 0) << inspection.exe.standard_error;
  char own[4096] = {};
  ASSERT_GT(readlink("/proc/self/exe", own, sizeof(own) - 1), 0);
  EXPECT_EQ(inspection.exe.standard_output, std::string(own) + "\n");
  EXPECT_EQ(inspection.environ.exit_code, 0);
  EXPECT_THAT(inspection.environ.standard_output, HasSubstr("LD_BIND_NOW=1"));
}

TEST_F(DumpableTest, ContainerProcessCannotInspectANonDumpableChild) {
  const Inspection inspection = Inspect(/*dumpable=*/false);
  EXPECT_EQ(inspection.child_dumpable, 0);
  EXPECT_NE(inspection.exe.exit_code, 0) << inspection.exe.standard_output;
  EXPECT_THAT(inspection.exe.standard_error, HasSubstr("Permission denied"));
  EXPECT_THAT(inspection.exe.standard_output, IsEmpty());
  EXPECT_NE(inspection.environ.exit_code, 0);
  EXPECT_THAT(inspection.environ.standard_error,
              HasSubstr("Permission denied"));
}

// True for a binding that cannot involve the namespaces entered: one made
// in the vDSO (memory the kernel provides, not a file), or by a sanitizer
// runtime, whose .preinit_array entry runs before the switcher's (the
// compiler driver links it first) and looks up every function it
// intercepts with dlsym().
bool IsHarmlessBinding(absl::string_view line) {
  constexpr absl::string_view kPrefix = "binding file ";
  const std::size_t start = line.find(kPrefix);
  if (start == absl::string_view::npos) return false;
  absl::string_view file = line.substr(start + kPrefix.size());
  file = file.substr(0, file.find(' '));
  file = file.substr(file.rfind('/') + 1);
  for (absl::string_view harmless :
       {"linux-vdso.so", "libasan.so", "libubsan.so", "libtsan.so",
        "liblsan.so"}) {
    if (absl::StartsWith(file, harmless)) return true;
  }
  return false;
}

// The lines of the dynamic loader's log (LD_DEBUG=libs,bindings) from the
// moment it calls the executable's .preinit_array, where the switcher runs,
// that load a library or bind a symbol; `log_seen` says whether there was a
// log with that moment in it at all.
std::vector<std::string> LateLoaderWork(const std::string& directory,
                                        bool* log_seen) {
  *log_seen = false;
  std::vector<std::string> late;
  DIR* listing = opendir(directory.c_str());
  if (listing == nullptr) return late;
  while (const dirent* entry = readdir(listing)) {
    if (std::string(entry->d_name).rfind("ld.", 0) != 0) continue;
    bool after_preinit = false;
    for (absl::string_view line :
         absl::StrSplit(ReadFile(directory + "/" + entry->d_name), '\n')) {
      if (absl::StrContains(line, "calling preinit:")) {
        after_preinit = true;
        *log_seen = true;
      } else if (after_preinit && !IsHarmlessBinding(line) &&
                 (absl::StrContains(line, "binding file") ||
                  absl::StrContains(line, "file=") ||
                  absl::StrContains(line, "find library") ||
                  absl::StrContains(line, "trying file"))) {
        late.emplace_back(line);
      }
    }
  }
  closedir(listing);
  return late;
}

class LoaderTest : public HostileNamespaceTest {
 protected:
  std::vector<std::string> LoaderLog() const {
    return {"LD_DEBUG=libs,bindings", "LD_DEBUG_OUTPUT=" + directory_ + "/ld"};
  }
};

TEST_F(LoaderTest, NothingIsLoadedOrBoundAfterTheSwitch) {
  std::vector<std::string> words;
  const absl::Status status =
      RunReexecAction("typical-work", Namespaces(ContainerNamespaces()),
                      Param(std::map<std::string, int>{{"a", 1}, {"b", 2}}),
                      Result(&words), Environment(LoaderLog()));
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_THAT(words, ::testing::ElementsAre("a=1", "b=2"));
  bool log_seen = false;
  EXPECT_THAT(LateLoaderWork(directory_, &log_seen), IsEmpty());
  EXPECT_TRUE(log_seen);
}

TEST_F(LoaderTest, ControlADlopenAfterTheSwitchIsSeen) {
  bool loaded = false;
  const absl::Status status =
      RunReexecAction("load-a-library", Namespaces(ContainerNamespaces()),
                      Result(&loaded), Environment(LoaderLog()));
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_TRUE(loaded) << "libz.so.1 (Debian's zlib1g) is missing";
  bool log_seen = false;
  EXPECT_THAT(LateLoaderWork(directory_, &log_seen),
              ::testing::Contains(HasSubstr("libz.so.1")));
  EXPECT_TRUE(log_seen);
}

// The same action in a child started by hand, without the runner's
// LD_BIND_NOW=1: libstdc++ (not linked with -z now) binds lazily.
TEST_F(LoaderTest, ControlWithoutBindNowLazyBindingIsSeen) {
  integration::SubprocessOptions options;
  options.argv = {"/proc/self/exe"};
  options.environment = integration::CleanEnvironment(LoaderLog());
  options.environment.push_back(
      absl::StrCat(kReexecActionVariable, "=typical-work"));
  options.environment.push_back(absl::StrCat(kOrderVariable, "="));
  options.standard_input = "{\"a\": 1}";
  absl::StatusOr<integration::SubprocessResult> result =
      integration::RunSubprocess(options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->exit_code, 0) << result->standard_error;
  // The result, ended by its newline (see WriteResult()).
  EXPECT_EQ(result->standard_output, "[\"a=1\"]\n");
  bool log_seen = false;
  EXPECT_THAT(LateLoaderWork(directory_, &log_seen),
              ::testing::Contains(HasSubstr("binding file")));
  EXPECT_TRUE(log_seen);
}

}  // namespace
}  // namespace gons::reexec
