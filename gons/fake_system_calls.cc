// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "gons/fake_system_calls.h"

#include <sys/ioctl.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gons/namespace_types.h"

namespace gons::internal {

namespace {
FakeKernel* current_kernel = nullptr;
}  // namespace

// Plain functions for the SystemCalls table, forwarding to the current fake.
struct FakeKernelCalls {
  static int Open(const char* path, int /*flags*/) {
    return current_kernel->Open(path);
  }
  static int Check(int fd) { return current_kernel->Check(fd); }
  static int Setns(int fd, int flag) { return current_kernel->Setns(fd, flag); }
  static int Close(int fd) { return current_kernel->Close(fd); }
  static long Threads() { return current_kernel->thread_count_; }
  static bool Secure() { return current_kernel->secure_execution_; }
  static int Capabilities(unsigned long long* capabilities) {
    if (current_kernel->capabilities_error_ != 0) {
      return -current_kernel->capabilities_error_;
    }
    *capabilities = current_kernel->capabilities_;
    return 0;
  }
  static int Seccomp() { return current_kernel->seccomp_mode_; }
  static int Setgroups() {
    return current_kernel->Credentials("setgroups", "");
  }
  static int Setgid(unsigned gid) {
    return current_kernel->Credentials("setgid", " " + std::to_string(gid));
  }
  static int Setuid(unsigned uid) {
    return current_kernel->Credentials("setuid", " " + std::to_string(uid));
  }
  static constexpr SystemCalls kTable = {
      Open,         Check,   Setns,     Close,  Threads, Secure,
      Capabilities, Seccomp, Setgroups, Setgid, Setuid};
};

FakeKernel::FakeKernel() {
  if (current_kernel != nullptr) std::abort();  // One at a time.
  current_kernel = this;
}

FakeKernel::~FakeKernel() { current_kernel = nullptr; }

void FakeKernel::AddNamespace(const std::string& path, int clone_flag) {
  nodes_[path].clone_flag = clone_flag;
}

void FakeKernel::AddPlainFile(const std::string& path) {
  nodes_[path].clone_flag = 0;
}

void FakeKernel::FailCall(const std::string& call, const std::string& path,
                          int error_number) {
  failures_[{call, path}] = error_number;
}

void FakeKernel::FailSetnsAfterUser(const std::string& path,
                                    const std::string& user_path,
                                    int error_number, bool until_user) {
  user_dependent_failures_[path] = {user_path, error_number, until_user};
}

const SystemCalls& FakeKernel::calls() const { return FakeKernelCalls::kTable; }

int FakeKernel::Log(const std::string& call, const std::string& path,
                    const std::string& detail) {
  std::string entry = absl::StrCat(call, " ", path, detail);
  int error_number = 0;
  const auto dependent = user_dependent_failures_.find(path);
  if (auto failure = failures_.find({call, path}); failure != failures_.end()) {
    error_number = failure->second;
  } else if (call == "setns" && dependent != user_dependent_failures_.end()) {
    const bool user_entered = entered_user_ == dependent->second.user_path;
    if (user_entered != dependent->second.until_user) {
      error_number = dependent->second.error_number;
    }
  } else if (call == "open" && nodes_.count(path) == 0) {
    error_number = ENOENT;
  } else if (call == "check" && nodes_.at(path).clone_flag == 0) {
    error_number = ENOTTY;
  }
  if (error_number != 0) {
    const char* name = strerrorname_np(error_number);  // Null if unassigned.
    absl::StrAppend(
        &entry, " -> ",
        name != nullptr ? name : absl::StrCat("errno ", error_number));
  }
  log_.push_back(entry);
  return error_number;
}

int FakeKernel::Open(const char* path) {
  if (const int error = Log("open", path, ""); error != 0) return -error;
  const int fd = next_fd_++;
  open_[fd] = path;
  return fd;
}

int FakeKernel::Check(int fd) {
  const std::string& path = open_.at(fd);
  if (const int error = Log("check", path, ""); error != 0) return -error;
  return nodes_.at(path).clone_flag;
}

int FakeKernel::Setns(int fd, int clone_flag) {
  const int type_index = FindNamespaceTypeIndexByFlag(clone_flag);
  const std::string type =
      type_index >= 0 ? kNamespaceTypes[type_index].name : "?";
  const int error = Log("setns", open_.at(fd), " " + type);
  if (error == 0 && clone_flag == CLONE_NEWUSER) entered_user_ = open_.at(fd);
  return -error;
}

int FakeKernel::Credentials(const std::string& call,
                            const std::string& detail) {
  std::string entry = call + detail;
  int error_number = 0;
  if (auto failure = failures_.find({call, ""}); failure != failures_.end()) {
    error_number = failure->second;
    absl::StrAppend(&entry, " -> ", strerrorname_np(error_number));
  }
  log_.push_back(entry);
  return -error_number;
}

int FakeKernel::Close(int fd) {
  const std::string path = open_.at(fd);
  // Like Linux, the descriptor is gone even when close() reports an error.
  open_.erase(fd);
  return -Log("close", path, "");
}

TestEnvironment::TestEnvironment(std::vector<std::string> entries)
    : strings_(std::move(entries)) {
  for (std::string& entry : strings_) pointers_.push_back(entry.data());
  pointers_.push_back(nullptr);
}

std::vector<std::string> TestEnvironment::entries() const {
  std::vector<std::string> entries;
  for (char* const* entry = pointers_.data(); *entry != nullptr; ++entry) {
    entries.emplace_back(*entry);
  }
  return entries;
}

}  // namespace gons::internal
