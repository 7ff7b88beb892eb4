// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A copy, in the order it runs: RunSpare() prepares it and waits for its
// request; RunCopy() places the request's descriptors, takes its
// environment, switches namespaces and runs the action.

#include "reexec/fork_server_copy.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "gons/environment.h"
#include "gons/namespace_types.h"
#include "gons/switcher.h"
#include "reexec/failure_channel.h"
#include "reexec/fork_server_protocol.h"
#include "reexec/registry.h"

namespace gons::reexec::internal {
namespace {

using ::gons::internal::EntryValue;
using ::gons::internal::kSystemCalls;
using ::gons::internal::RunSwitcherAgain;
using ::gons::internal::SystemCalls;

// Where a copy holds the namespace descriptors the program opened, until
// the switch has used them: above a spawned child's descriptors 0 to 4.
constexpr int kFirstNamespace = kFailureChannelDescriptor + 1;
// Above every descriptor a copy places: no placement overwrites a source
// raised here, nor the spare's request channel.
constexpr int kFloor = kFirstNamespace + kNumNamespaceTypes;
constexpr int kSpareChannel = kFloor;

// The copy's view of the request's namespace descriptors, for the
// switcher's open() (see OpenForCopy()). Written once, in the copy only.
struct CopyNamespaces {
  const char* path[kNumNamespaceTypes];  // The value in the copy's envp.
  int source[kNumNamespaceTypes];        // Descriptor, or -errno.
  bool pending[kNumNamespaceTypes];
};
CopyNamespaces copy_namespaces;

// The switcher's open(), in a copy: a path the program opened is answered
// with the program's descriptor (or its error), once; any other path (one
// that resolves after the mount switch) is opened here.
int OpenForCopy(const char* path, int flags) {
  for (int type = 0; type < kNumNamespaceTypes; ++type) {
    if (copy_namespaces.pending[type] && path == copy_namespaces.path[type]) {
      copy_namespaces.pending[type] = false;
      return copy_namespaces.source[type];
    }
  }
  return kSystemCalls.open(path, flags);
}

[[noreturn]] void FailCopy(const char* why) {
  // Descriptor 2 is the request's stderr once placed, and nothing before.
  const std::string message =
      std::string("gons reexec: the fork server's copy failed: ") + why + "\n";
  (void)!write(2, message.data(), message.size());
  _exit(kExitCopyFailed);
}

// A spawned child's layout: 0, 1 and 2, then 3 (a test child's coverage
// directory) and 4 (the failure channel), each closed when not sent, then
// the namespace descriptors, from kFirstNamespace, until the switch has
// used them; nothing else. Returns how many namespace descriptors there
// are.
int PlaceDescriptors(std::uint32_t flags, std::vector<Descriptor>& fds) {
  const bool passed = (flags & kPassedDescriptor) != 0;
  const bool failure_channel = (flags & kFailureChannel) != 0;
  // Forwarded: without the reply channel that FixedDescriptorCount() counts.
  const std::size_t first_namespace = FixedDescriptorCount(flags) - 1;
  const int namespace_count = static_cast<int>(fds.size() - first_namespace);
  // Raised above every target first, so that no dup2 overwrites a source.
  std::vector<int> raised;
  for (const Descriptor& fd : fds) {
    const int copy = fcntl(fd.get(), F_DUPFD_CLOEXEC, kFloor);
    if (copy < 0) _exit(kExitCopyFailed);
    raised.push_back(copy);
  }
  for (int target = 0; target < 3; ++target) {
    if (dup2(raised[static_cast<std::size_t>(target)], target) < 0) {
      _exit(kExitCopyFailed);
    }
  }
  std::size_t next = 3;
  // Close-on-exec, as a test child's descriptor 3 is (see //testing).
  if (passed && dup3(raised[next++], 3, O_CLOEXEC) < 0) FailCopy("dup3");
  // Inherited as a spawned child's is; CheckAction() makes it
  // close-on-exec and closes it before the action runs.
  if (failure_channel && dup2(raised[next++], kFailureChannelDescriptor) < 0) {
    FailCopy("dup2");
  }
  for (int index = 0; index < namespace_count; ++index) {
    if (dup3(raised[first_namespace + static_cast<std::size_t>(index)],
             kFirstNamespace + index, O_CLOEXEC) < 0) {
      FailCopy("dup3");
    }
  }
  // The received and raised descriptors, and the request channel. EBADF:
  // it was not open.
  if (!passed && close(3) != 0 && errno != EBADF) FailCopy("close(3)");
  if (!failure_channel && close(kFailureChannelDescriptor) != 0 &&
      errno != EBADF) {
    FailCopy("close(4)");
  }
  if (syscall(SYS_close_range, kFirstNamespace + namespace_count, ~0U, 0) !=
      0) {
    FailCopy("close_range");
  }
  for (Descriptor& fd : fds) (void)fd.Release();  // Closed just above.
  return namespace_count;
}

// The request's descriptors, environment and namespaces, then the action.
[[noreturn]] void RunCopy(Request& request, void (*run_action)()) {
  const int namespace_count =
      PlaceDescriptors(request.header.flags, request.fds);
  RequestBody body;
  std::memcpy(&body, request.body.data(), sizeof(body));
  // The copy's environment, never freed: it is environ until the exit.
  auto* entries = new std::vector<char*>();
  auto* text = new std::string(request.body.substr(sizeof(body)));
  for (std::size_t at = 0; at < text->size();) {
    const std::size_t end = text->find('\0', at);
    if (end == std::string::npos) FailCopy("unterminated entry");
    entries->push_back(text->data() + at);
    at = end + 1;
  }
  if (entries->size() != body.entry_count) FailCopy("entry count");
  entries->push_back(nullptr);

  // As child_start.cc does before main(): non-dumpable before any switch.
  for (char* const* entry = entries->data(); *entry != nullptr; ++entry) {
    const char* value = EntryValue(*entry, kReexecDumpableVariable);
    if (value == nullptr) continue;
    if (std::strcmp(value, "0") == 0 && prctl(PR_SET_DUMPABLE, 0) != 0) {
      FailCopy("prctl(PR_SET_DUMPABLE)");
    }
    break;
  }
  for (int type = 0; type < kNumNamespaceTypes; ++type) {
    copy_namespaces.path[type] = nullptr;
    copy_namespaces.pending[type] = false;
    const std::int32_t source = body.namespace_source[type];
    if (source == kCopyOpensPath) continue;
    if (source > namespace_count) FailCopy("namespace descriptor");
    for (char* const* entry = entries->data(); *entry != nullptr; ++entry) {
      // The first entry wins, as in the switcher.
      if (const char* value =
              EntryValue(*entry, kNamespaceTypes[type].variable)) {
        copy_namespaces.path[type] = value;
        break;
      }
    }
    copy_namespaces.source[type] =
        source > 0 ? kFirstNamespace + source - 1 : source;
    copy_namespaces.pending[type] = copy_namespaces.path[type] != nullptr;
  }
  SystemCalls calls = kSystemCalls;
  calls.open = OpenForCopy;
  RunSwitcherAgain(entries->data(), calls);
  for (int type = 0; type < kNumNamespaceTypes; ++type) {
    // A descriptor the switch stopped before.
    if (copy_namespaces.pending[type] && copy_namespaces.source[type] >= 0) {
      close(copy_namespaces.source[type]);
    }
  }
  environ = entries->data();
  run_action();  // Exits.
  _exit(kExitCopyFailed);
}

// What every copy's CheckAction() touches before its action, done ahead:
// the registry's locks (under a debug build of Abseil, its deadlock
// graph). Writing those pages here, while no request waits, spares the
// request their copy-on-write faults. Nothing is left changed.
void Warm() {
  (void)ChildAction();
  (void)FindAction("");
}

}  // namespace

[[noreturn]] void RunSpare(pid_t helper, int channel, void (*run_action)()) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != helper) {
    _exit(kExitCopyFailed);
  }
  // Its own group, as a re-executed child: killed with its descendants.
  if (setpgid(0, 0) != 0) _exit(kExitCopyFailed);
  // Named for ps and top until RunAction() names it after its action.
  // Cosmetic, and it cannot fail for a NUL-terminated name: not checked.
  (void)prctl(PR_SET_NAME, "gons-spare", 0, 0, 0);
  // Everything of the helper's but 0, 1 and 2 (replaced by the request's)
  // and its own channel: the control socket, other copies' pidfds and
  // reply channels, descriptor 3 under coverage.
  if ((channel != kSpareChannel &&
       dup3(channel, kSpareChannel, O_CLOEXEC) < 0) ||
      syscall(SYS_close_range, 3, kSpareChannel - 1, 0) != 0 ||
      syscall(SYS_close_range, kSpareChannel + 1, ~0U, 0) != 0) {
    _exit(kExitCopyFailed);
  }
  Warm();
  // The helper forwards the request only once the program knows of this
  // copy; end of file: the helper ended or let this spare go.
  Request request;
  if (!ReceiveRequest(kSpareChannel, /*forwarded=*/true, &request)) {
    _exit(kExitCopyFailed);
  }
  RunCopy(request, run_action);
}

}  // namespace gons::reexec::internal
