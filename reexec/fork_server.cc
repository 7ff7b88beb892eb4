// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The program's side of the fork server: CurrentServer() finds this
// process's helper state (a fresh one after a fork), EnsureHelper() starts
// or replaces the helper, StartForkedCopy() sends a request and waits for
// the copy to exist, and ForkedCopy is what RunChild() waits on.

#include "reexec/fork_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gons/environment.h"
#include "gons/namespace_types.h"
#include "gons/order.h"
#include "reexec/fork_server_protocol.h"
#include "reexec/registry.h"

namespace gons::reexec::internal {
namespace {

using ::gons::internal::EntryValue;

// The helper's descriptor for its end of the control socket: above 3 (a
// test child's coverage directory, see //testing) and 4 (a child's failure
// channel, see failure_channel.h), which the helper keeps as a re-executed
// child has them, so that its copies see a spawned child's layout.
constexpr int kHelperControl = 5;
// From Linux 6.9 (linux/pidfd.h).
constexpr unsigned kSignalProcessGroup = 1u << 2;
constexpr int kHelloTimeoutMilliseconds = 10000;

absl::Status ErrnoStatus(int error_number, absl::string_view what) {
  if (error_number == EAGAIN || error_number == ENOMEM ||
      error_number == EMFILE || error_number == ENFILE) {
    return absl::ResourceExhaustedError(absl::StrCat(
        what, ": ", absl::ErrnoToStatus(error_number, "").message()));
  }
  return absl::ErrnoToStatus(error_number, what);
}

bool HasEnded(int pidfd) {
  pollfd entry = {pidfd, POLLIN, 0};
  return poll(&entry, 1, 0) > 0;
}

// One process's helper. Never destroyed: a process forked by this one
// finds it with another owner_pid and leaves it alone.
struct HelperState {
  explicit HelperState(pid_t owner) : owner_pid(owner) {}
  const pid_t owner_pid;
  // The state this one replaced in a forked process, kept (never used).
  struct HelperState* inherited = nullptr;
  // A std::mutex, whose locking ThreadSanitizer sees (through pthread):
  // concurrent first calls start the helper, and Debian's Abseil, built
  // without it, would hide the order absl::Mutex gives them.
  std::mutex mutex;
  // Guarded by `mutex`, these three.
  std::optional<ChildOwner> helper;
  Descriptor control;
  std::uint64_t generation = 0;
};

std::atomic<HelperState*> current_server{nullptr};
std::atomic<bool> exit_handler_registered{false};

// At a normal exit: the helper is asked to end (it kills and reaps its
// copies and writes its coverage), then killed if it has not, and reaped.
// When a call holds the lock, the helper is left to see the exit itself.
void StopAtExit() {
  HelperState* server = current_server.load();
  if (server == nullptr || server->owner_pid != getpid()) return;
  if (!server->mutex.try_lock()) return;
  if (server->helper.has_value()) {
    shutdown(server->control.get(), SHUT_RDWR);
    pollfd entry = {server->helper->pidfd(), POLLIN, 0};
    (void)poll(&entry, 1, 2000);
    server->helper.reset();
  }
  server->control.Reset();
  server->mutex.unlock();
}

// This process's state; a fresh one in a process forked from the one that
// made the current state, whose descriptor copies it closes (the helper
// stays its parent's).
HelperState* CurrentServer() {
  const pid_t self = getpid();
  HelperState* server = current_server.load();
  while (server == nullptr || server->owner_pid != self) {
    auto* fresh = new HelperState(self);
    fresh->inherited = server;
    if (current_server.compare_exchange_weak(server, fresh)) {
      if (server != nullptr) {
        // Inherited: never locked here (its lock may have been held by a
        // thread this process does not have), and its helper not ours.
        server->control.Reset();
        if (server->helper.has_value()) close(server->helper->pidfd());
      }
      if (!exit_handler_registered.exchange(true)) std::atexit(StopAtExit);
      return fresh;
    }
    delete fresh;
  }
  return server;
}

// The program's environment minus every gons_* variable, with the test
// wrapper's settings, as every child's starts.
std::vector<std::string> HelperEnvironment() {
  const ChildLaunchSettings settings = GetChildLaunchSettings();
  auto named_in = [](absl::string_view entry,
                     const std::vector<std::string>& list) {
    const absl::string_view name = entry.substr(0, entry.find('='));
    for (const std::string& candidate : list) {
      if (name == absl::string_view(candidate).substr(0, candidate.find('='))) {
        return true;
      }
    }
    return false;
  };
  std::vector<std::string> environment;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    if (absl::StartsWith(*entry, kVariablePrefix) ||
        absl::StartsWith(*entry, "LD_BIND_NOW=") ||
        named_in(*entry, settings.removed_variables) ||
        named_in(*entry, settings.set_variables)) {
      continue;
    }
    environment.emplace_back(*entry);
  }
  environment.insert(environment.end(), settings.set_variables.begin(),
                     settings.set_variables.end());
  // Every symbol bound now: a copy must bind none lazily in the
  // namespaces it enters.
  environment.push_back("LD_BIND_NOW=1");
  environment.push_back(
      absl::StrCat(kForkServerVariable, "=", kHelperControl, ":", getpid()));
  return environment;
}

std::string HelperName(const ChildSpec& spec) {
  absl::string_view name = "gons";
  if (!spec.argv.empty()) name = spec.argv[0];
  name = name.substr(0, name.find(" [reexec "));
  return absl::StrCat(name, " [reexec fork server]");
}

// Starts the helper unless a live one exists; replaces a dead one. The
// caller holds `server.mutex`.
absl::Status EnsureHelper(HelperState& server, const ChildSpec& spec) {
  if (server.helper.has_value() && HasEnded(server.helper->pidfd())) {
    server.control.Reset();
    server.helper.reset();  // Reaps it.
  }
  if (server.helper.has_value()) return absl::OkStatus();
  int ends[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
    return ErrnoStatus(errno, "socketpair");
  }
  Descriptor control(ends[0]);
  Descriptor helper_end(ends[1]);
  Descriptor null_device(open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!null_device.valid()) return ErrnoStatus(errno, "open /dev/null");
  ChildSpec helper_spec;
  helper_spec.executable_fd = spec.executable_fd;
  helper_spec.executable = spec.executable;
  helper_spec.argv = {HelperName(spec)};
  helper_spec.environment = HelperEnvironment();
  // Its stderr is the program's, for what a sanitizer may report there.
  const int error_output = fcntl(2, F_GETFD) >= 0 ? 2 : null_device.get();
  // -1: closed in the helper (descriptor 4 is no copy's until a request
  // brings its failure channel).
  helper_spec.descriptors = {null_device.get(),
                             null_device.get(),
                             error_output,
                             GetChildLaunchSettings().passed_descriptor,
                             -1,
                             helper_end.get()};
  static_assert(kHelperControl == 5);
  absl::StatusOr<ChildOwner> started = ChildOwner::Start(helper_spec);
  helper_end.Reset();
  if (!started.ok()) {
    return absl::Status(started.status().code(),
                        absl::StrCat("starting the fork server's helper: ",
                                     started.status().message()));
  }
  pollfd ready[2] = {{control.get(), POLLIN, 0}, {started->pidfd(), POLLIN, 0}};
  int polled;
  do {
    polled = poll(ready, 2, kHelloTimeoutMilliseconds);
  } while (polled < 0 && errno == EINTR);
  Reply hello = {};
  if (polled <= 0 || ready[0].revents == 0 ||
      !ReceiveReply(control.get(), &hello, nullptr) || hello.kind != kHello) {
    return absl::UnavailableError(
        "the fork server's helper ended or did not answer before it was "
        "ready (does main() call CheckAction() first?)");
  }
  if (hello.code != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the fork server's helper had ", hello.code,
        " threads when CheckAction() ran; a copy forked from it could "
        "inherit a lock that one of them held: call CheckAction() before "
        "any thread is started, or do not use ForkServer()"));
  }
  server.helper = *std::move(started);
  server.control = std::move(control);
  ++server.generation;
  return absl::OkStatus();
}

// The request for `spec`, and the namespace descriptors it sends.
struct PreparedRequest {
  std::string message;  // Header and body.
  std::vector<Descriptor> namespaces;
};

// Opens, as a re-executed child's switcher would (same flags), every
// namespace path that resolves before the mount switch: those listed
// before `mnt` in gons_order, `mnt` itself, and every `!` path.
PreparedRequest PrepareRequest(const ChildSpec& spec) {
  const char* paths[kNumNamespaceTypes] = {};
  const char* order_text = nullptr;
  for (const std::string& entry : spec.environment) {
    if (order_text == nullptr) {
      order_text = EntryValue(entry.c_str(), kOrderVariable);
    }
    for (int type = 0; type < kNumNamespaceTypes; ++type) {
      const char* value =
          EntryValue(entry.c_str(), kNamespaceTypes[type].variable);
      if (paths[type] == nullptr && value != nullptr) paths[type] = value;
    }
  }
  PreparedRequest prepared;
  RequestBody body = {};
  ParsedOrder order = {};
  OrderParseError error = {};
  constexpr int kMnt = FindNamespaceTypeIndex("mnt", 3);
  // A bad order opens nothing: the copy's switcher reports it.
  if (order_text != nullptr && ParseOrder(order_text, &order, &error)) {
    bool after_mount = false;
    for (int step = 0; step < order.count; ++step) {
      const int type = order.steps[step].type_index;
      if (paths[type] != nullptr && paths[type][0] != '\0' &&
          (order.steps[step].open_early || !after_mount)) {
        const int fd =
            open(paths[type], O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
          body.namespace_source[type] = -errno;
        } else {
          prepared.namespaces.emplace_back(fd);
          body.namespace_source[type] =
              static_cast<std::int32_t>(prepared.namespaces.size());
        }
      }
      if (type == kMnt) after_mount = true;
    }
  }
  body.entry_count = static_cast<std::uint32_t>(spec.environment.size());
  std::string entries;
  for (const std::string& entry : spec.environment) {
    entries.append(entry);
    entries.push_back('\0');
  }
  const bool passed = spec.descriptors.size() > 3 && spec.descriptors[3] >= 0;
  const bool failure_channel =
      spec.descriptors.size() > 4 && spec.descriptors[4] >= 0;
  RequestHeader header = {};
  header.magic = kRequestMagic;
  header.body_size = static_cast<std::uint32_t>(sizeof(body) + entries.size());
  header.flags = (passed ? kPassedDescriptor : 0) |
                 (failure_channel ? kFailureChannel : 0);
  header.descriptor_count = static_cast<std::uint32_t>(
      FixedDescriptorCount(header.flags) + prepared.namespaces.size());
  prepared.message.append(reinterpret_cast<const char*>(&header),
                          sizeof(header));
  prepared.message.append(reinterpret_cast<const char*>(&body), sizeof(body));
  prepared.message.append(entries);
  return prepared;
}

// A copy, as RunChild() sees it: the helper reaps it and reports its end
// on the reply channel. The helper's end of that channel is the helper's
// alone (a copy, and a spare forked meanwhile, close theirs before they
// run anything, and die with the helper), so the channel also ends when
// the helper does: no watch of the helper's pidfd is needed.
class ForkedCopy final : public StartedChild {
 public:
  ForkedCopy(Descriptor reply, Descriptor pidfd, pid_t pid, Descriptor input)
      : reply_(std::move(reply)),
        pidfd_(std::move(pidfd)),
        pid_(pid),
        input_(std::move(input)) {}
  ~ForkedCopy() override {
    if (!reaped_) {
      // Clean-up, with no caller to tell: a copy that cannot be killed is
      // waited for, as ChildOwner's destructor does.
      (void)Kill();
      (void)Reap();
    }
  }
  // Readable when the end is reported, or when the helper ended.
  int ended_fd() const override { return reply_.get(); }

  // ESRCH below: nothing left to kill, which is what was asked.
  absl::Status Kill() override {
    if (reaped_) return absl::OkStatus();
    absl::Status group = absl::OkStatus();
    if (syscall(SYS_pidfd_send_signal, pidfd_.get(), SIGKILL, nullptr,
                kSignalProcessGroup) != 0) {
      if (errno == EINVAL) {
        // Before Linux 6.9: the helper, the copy's parent, kills the group.
        if (const int error = SendReply(reply_.get(), {kKill, pid_, 0, 0});
            error != 0) {
          group = absl::ErrnoToStatus(
              error, "killing the copy: asking the helper to kill its group");
        }
      } else if (errno != ESRCH) {
        group = absl::ErrnoToStatus(
            errno,
            "killing the copy: pidfd_send_signal (the copy's process group)");
      }
    }
    // The copy itself, whichever group it moved to.
    if (syscall(SYS_pidfd_send_signal, pidfd_.get(), SIGKILL, nullptr, 0) !=
            0 &&
        errno != ESRCH) {
      return absl::ErrnoToStatus(
          errno, "killing the copy: pidfd_send_signal (the copy)");
    }
    return group;
  }

  absl::StatusOr<siginfo_t> Reap() override {
    if (reaped_) return absl::FailedPreconditionError("the copy was reaped");
    reaped_ = true;
    Reply ended = {};
    if (ReceiveReply(reply_.get(), &ended, nullptr) && ended.kind == kEnded) {
      siginfo_t info = {};
      info.si_pid = pid_;
      info.si_code = ended.code;
      info.si_status = ended.status;
      return info;
    }
    // The helper ended without reporting: the copy dies with it.
    syscall(SYS_pidfd_send_signal, pidfd_.get(), SIGKILL, nullptr, 0);
    return absl::UnavailableError(
        "the fork server's helper ended while the copy ran; the copy was "
        "killed with it");
  }

 private:
  Descriptor reply_;
  Descriptor pidfd_;
  pid_t pid_;
  // The copy's end of its stdin, kept for the call: a small param sent
  // after a fast copy exited without reading it is taken whole, as it is
  // by a re-executed child, which starts a millisecond later. A param
  // larger than the socket holds still fails as "stopped reading".
  Descriptor input_;
  bool reaped_ = false;
};

// What waiting for kStarted came to.
struct StartReply {
  bool helper_gone = false;
  absl::Status status;
  pid_t pid = -1;
  Descriptor pidfd;
};

// Blocks until the helper answers the request sent with `reply`; the end
// of the channel before an answer is the helper's end.
StartReply AwaitStarted(int reply) {
  StartReply result;
  Reply started = {};
  const bool received = ReceiveReply(reply, &started, &result.pidfd);
  if (received && started.kind == kStarted && result.pidfd.valid()) {
    result.pid = started.pid;
  } else if (received && started.kind == kStartFailed) {
    result.status = ErrnoStatus(started.code, "the fork server could not fork");
  } else {
    result.helper_gone = true;  // Closed, or not a reply it sends.
  }
  return result;
}

}  // namespace

absl::StatusOr<std::unique_ptr<StartedChild>> StartForkedCopy(
    const ChildSpec& spec) {
  HelperState& server = *CurrentServer();
  PreparedRequest request = PrepareRequest(spec);
  if (spec.descriptors.size() < 3 || spec.descriptors.size() > 5) {
    return absl::InvalidArgumentError(
        "a copy needs stdin, stdout and stderr, and takes descriptors 3 and 4 "
        "at most");
  }
  for (int attempt = 0;; ++attempt) {
    int ends[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) != 0) {
      return ErrnoStatus(errno, "socketpair");
    }
    Descriptor reply(ends[0]);
    Descriptor helper_reply(ends[1]);
    std::uint64_t generation = 0;
    int sent = 0;
    {
      const std::lock_guard<std::mutex> lock(server.mutex);
      if (absl::Status status = EnsureHelper(server, spec); !status.ok()) {
        return status;
      }
      generation = server.generation;
      std::vector<int> fds = {helper_reply.get()};
      for (std::size_t i = 0; i < spec.descriptors.size(); ++i) {
        if (spec.descriptors[i] >= 0) fds.push_back(spec.descriptors[i]);
      }
      for (const Descriptor& fd : request.namespaces) fds.push_back(fd.get());
      sent = SendWithDescriptors(server.control.get(), request.message.data(),
                                 request.message.size(), fds);
    }
    helper_reply.Reset();
    StartReply started;
    if (sent == 0) {
      started = AwaitStarted(reply.get());
    } else {
      started.helper_gone = true;
    }
    if (!started.helper_gone) {
      if (!started.status.ok()) return started.status;
      Descriptor input(fcntl(spec.descriptors[0], F_DUPFD_CLOEXEC, 0));
      return std::make_unique<ForkedCopy>(std::move(reply),
                                          std::move(started.pidfd), started.pid,
                                          std::move(input));
    }
    {
      // Replaced by the next attempt, unless another thread already did.
      const std::lock_guard<std::mutex> lock(server.mutex);
      if (server.generation == generation && server.helper.has_value()) {
        server.control.Reset();
        server.helper.reset();
      }
    }
    if (attempt == 1) {
      return absl::UnavailableError(
          "the fork server's helper ended before the copy started, twice");
    }
  }
}

pid_t ForkServerHelperPid() {
  HelperState& server = *CurrentServer();
  const std::lock_guard<std::mutex> lock(server.mutex);
  if (!server.helper.has_value() || HasEnded(server.helper->pidfd())) {
    return -1;
  }
  return server.helper->pid();
}

}  // namespace gons::reexec::internal
