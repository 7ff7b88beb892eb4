// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: fake_system_calls.h
// -----------------------------------------------------------------------------
//
// A fake kernel for testing the switcher: it serves SystemCalls from a table
// of paths, can fail any call on any path with any errno, logs every call,
// and counts the descriptors that are still open. Test-only.
//
// Example:
//
//   FakeKernel kernel;
//   kernel.AddNamespace("/ns/net", CLONE_NEWNET);
//   kernel.FailCall("setns", "/ns/net", EPERM);
//   TestEnvironment env({"gons_net=/ns/net"});
//   StartupRecord record = {};
//   RunSwitcher(env.envp(), kernel.calls(), &record);
//   EXPECT_THAT(kernel.log(), ElementsAre("open /ns/net", ...));

#ifndef GONS_FAKE_SYSTEM_CALLS_H_
#define GONS_FAKE_SYSTEM_CALLS_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gons/switcher.h"

namespace gons::internal {

// Only one FakeKernel may exist at a time (the SystemCalls are plain function
// pointers and reach it through a global). Not thread-safe.
class FakeKernel {
 public:
  FakeKernel();
  ~FakeKernel();
  FakeKernel(const FakeKernel&) = delete;
  FakeKernel& operator=(const FakeKernel&) = delete;

  // Makes `path` open as a namespace of type `clone_flag`. A path not added
  // fails to open with ENOENT.
  void AddNamespace(const std::string& path, int clone_flag);
  // Makes `path` open as a file that is not a namespace (ioctl: ENOTTY).
  void AddPlainFile(const std::string& path);
  // Makes `call` ("open", "check", "setns" or "close") on `path` fail with
  // `error_number`.
  void FailCall(const std::string& call, const std::string& path,
                int error_number);
  void set_thread_count(long threads) { thread_count_ = threads; }
  void set_secure_execution(bool secure) { secure_execution_ = secure; }
  // The effective capabilities capget() reports (bits CAP_*), or its errno
  // when `error_number` is not 0. Default: none held.
  void set_capabilities(unsigned long long capabilities, int error_number = 0) {
    capabilities_ = capabilities;
    capabilities_error_ = error_number;
  }
  // What prctl(PR_GET_SECCOMP) returns (0, 2, or -errno). Default: 0.
  void set_seccomp_mode(int mode) { seccomp_mode_ = mode; }
  // Makes "setgroups", "setgid" or "setuid" fail with `error_number`. They
  // are logged as "setgroups", "setgid 0", "setuid 0".
  void FailCredentialsCall(const std::string& call, int error_number) {
    failures_[{call, ""}] = error_number;
  }
  // Makes "setns" on `path` fail with `error_number` only once the user
  // namespace at `user_path` has been entered (or, with `until_user`, only
  // until then): a namespace owned by the original user namespace, or one
  // owned by the entered one.
  void FailSetnsAfterUser(const std::string& path, const std::string& user_path,
                          int error_number, bool until_user = false);

  // The table to pass to RunSwitcher().
  const SystemCalls& calls() const;
  // Every call so far, as "open PATH", "check PATH", "setns PATH TYPE",
  // "close PATH"; failed ones end in " -> ERRNONAME". capget() and
  // prctl() are not logged.
  const std::vector<std::string>& log() const { return log_; }
  // The number of descriptors opened and not closed.
  int open_descriptors() const { return static_cast<int>(open_.size()); }

 private:
  friend struct FakeKernelCalls;

  struct Node {
    int clone_flag = 0;  // 0 for a plain file.
  };
  int Open(const char* path);
  int Check(int fd);
  int Setns(int fd, int clone_flag);
  int Close(int fd);
  int Credentials(const std::string& call, const std::string& detail);
  // Returns the errno to fail `call` on `path` with, or 0, and logs the call.
  int Log(const std::string& call, const std::string& path,
          const std::string& detail);

  std::map<std::string, Node> nodes_;
  std::map<std::pair<std::string, std::string>, int> failures_;
  struct UserDependentFailure {
    std::string user_path;
    int error_number;
    bool until_user;
  };
  std::map<std::string, UserDependentFailure> user_dependent_failures_;
  std::string entered_user_;
  std::map<int, std::string> open_;
  std::vector<std::string> log_;
  int next_fd_ = 100;
  long thread_count_ = 1;
  bool secure_execution_ = false;
  unsigned long long capabilities_ = 0;
  int capabilities_error_ = 0;
  int seccomp_mode_ = 0;
};

// A NULL-terminated environment array built from strings, which the switcher
// may edit in place.
class TestEnvironment {
 public:
  explicit TestEnvironment(std::vector<std::string> entries);
  char** envp() { return pointers_.data(); }
  // The entries now in the array, up to its NULL.
  std::vector<std::string> entries() const;

 private:
  std::vector<std::string> strings_;
  std::vector<char*> pointers_;
};

}  // namespace gons::internal

#endif  // GONS_FAKE_SYSTEM_CALLS_H_
