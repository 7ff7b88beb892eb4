// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/bench/thread_path.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gons/namespace_thread.h"
#include "tools/bench/piped_child.h"
#include "tools/bench/sample_summary.h"
#include "tools/bench/throwaway_namespaces.h"

namespace gons::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start)
          .count());
}

// The floor's work on the calling thread: what the worker does at least
// (open the target and its own namespace, enter, run nothing, go back,
// close). 0 or an errno.
int BareRoundTrip(const std::string& target) {
  const int original = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  const int entered = open(target.c_str(), O_RDONLY | O_CLOEXEC);
  int error = 0;
  if (original < 0 || entered < 0 || setns(entered, CLONE_NEWNET) != 0 ||
      setns(original, CLONE_NEWNET) != 0) {
    error = errno;
  }
  if (original >= 0) close(original);
  if (entered >= 0) close(entered);
  return error;
}

// The floor of a reused worker: a running thread, woken by a condition
// variable to do BareRoundTrip() and wake its caller.
class BareWorker {
 public:
  explicit BareWorker(std::string target)
      : target_(std::move(target)), thread_([this] { Serve(); }) {}
  ~BareWorker() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  BareWorker(const BareWorker&) = delete;
  BareWorker& operator=(const BareWorker&) = delete;

  // Has the thread do one round trip; returns its error (0 or an errno).
  int RoundTrip() {
    std::unique_lock<std::mutex> lock(mutex_);
    ++requested_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return served_ == requested_; });
    return error_;
  }

 private:
  void Serve() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      changed_.wait(lock,
                    [this] { return stopping_ || served_ != requested_; });
      if (stopping_) return;
      error_ = BareRoundTrip(target_);
      ++served_;
      changed_.notify_all();
    }
  }

  const std::string target_;
  std::mutex mutex_;
  std::condition_variable changed_;
  long requested_ = 0;
  long served_ = 0;
  int error_ = 0;
  bool stopping_ = false;
  std::thread thread_;  // Last: started once the rest is initialized.
};

// The re-executing path into the same namespace: reexec_worker's REEXEC_NS
// column.
absl::StatusOr<SampleSummary> ReexecRoundTrip(int runs,
                                              const std::string& reexec_worker,
                                              const std::string& spec) {
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    environment.emplace_back(*entry);
  }
  absl::StatusOr<PipedRun> run = RunPiped(
      {reexec_worker, "roundtrip", absl::StrCat(runs), "/bin/true", spec},
      environment, "");
  if (!run.ok()) return run.status();
  std::vector<double> samples;
  for (absl::string_view line :
       absl::StrSplit(run->output, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> words = absl::StrSplit(line, ' ');
    double value = 0;
    if (words.size() == 5 && words[0] == "sample" &&
        absl::SimpleAtod(words[4], &value)) {
      samples.push_back(value);
    }
  }
  if (samples.empty()) {
    return absl::InternalError(
        absl::StrCat("reexec_worker roundtrip printed no sample: ",
                     run->output.substr(0, 500)));
  }
  return Summarize(samples);
}

// Writes `text` to the file at `path`; 0 or an errno (EIO when short).
int WriteFile(const char* path, const std::string& text) {
  const int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  const ssize_t written = write(fd, text.data(), text.size());
  int error = 0;
  if (written < 0) {
    error = errno;
  } else if (static_cast<size_t>(written) != text.size()) {
    error = EIO;
  }
  close(fd);
  return error;
}

// setns() from a thread needs CAP_SYS_ADMIN in the thread's own user
// namespace too, so an ordinary user's thread enters nothing from where the
// bench starts. Such a bench gets that capability the only way a process
// can: it enters a user namespace of its own while single-threaded (this
// part runs last), as root there, with a net namespace owned by it for the
// workers to switch back into. Root's bench is left where it is.
absl::Status EnterOwnUserNamespaceUnlessRoot() {
  const uid_t uid = geteuid();
  const gid_t gid = getegid();
  if (uid == 0) return absl::OkStatus();
  if (unshare(CLONE_NEWUSER) != 0) {
    return absl::ErrnoToStatus(
        errno,
        "an ordinary user's bench: unshare(CLONE_NEWUSER) "
        "(the process must be single-threaded)");
  }
  const std::pair<const char*, std::string> writes[] = {
      {"/proc/self/setgroups", "deny"},
      {"/proc/self/uid_map", absl::StrCat("0 ", uid, " 1")},
      {"/proc/self/gid_map", absl::StrCat("0 ", gid, " 1")}};
  for (const auto& [path, text] : writes) {
    if (const int error = WriteFile(path, text); error != 0) {
      return absl::ErrnoToStatus(
          error, absl::StrCat("an ordinary user's bench: writing ", path));
    }
  }
  if (unshare(CLONE_NEWNET) != 0) {
    return absl::ErrnoToStatus(
        errno, "an ordinary user's bench: unshare(CLONE_NEWNET)");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status MeasureThreadPath(int runs, const std::string& reexec_worker,
                               ReportTable& table) {
  const bool ordinary_user = geteuid() != 0;
  if (absl::Status entered = EnterOwnUserNamespaceUnlessRoot(); !entered.ok()) {
    return entered;
  }
  absl::StatusOr<std::unique_ptr<ThrowawayNamespaces>> made =
      ThrowawayNamespaces::Make(CLONE_NEWNET, 0);
  if (!made.ok()) return made.status();
  const std::string net = (*made)->Path("net");
  std::string spec = absl::StrCat("net=", net);
  if ((*made)->has_user_namespace()) {
    spec = absl::StrCat("!user=", (*made)->Path("user"), ",", spec);
  }
  absl::StatusOr<SampleSummary> reexec =
      ReexecRoundTrip(runs, reexec_worker, spec);
  if (!reexec.ok()) return reexec.status();

  const NamespaceSet set = {{"net", net}};
  const auto body = [] { return 1; };
  std::vector<double> fresh_floor, running_floor, fresh, reused;
  int floor_error = 0;
  BareWorker bare_worker(net);
  bool reusable = true;
  // Interleaved run by run, so that a busy machine slows them alike; the
  // reused worker and the running floor thread both sleep between their
  // turns, so both pay for being woken.
  for (int run = 0; run < runs; ++run) {
    Clock::time_point start = Clock::now();
    std::thread bare([&net, &floor_error] {
      if (const int error = BareRoundTrip(net); error != 0) floor_error = error;
    });
    bare.join();
    fresh_floor.push_back(Since(start));

    start = Clock::now();
    absl::StatusOr<int> once =
        RunInNamespaces(set, body, {.reuse_thread = false});
    fresh.push_back(Since(start));
    if (!once.ok()) return once.status();

    start = Clock::now();
    if (const int error = bare_worker.RoundTrip(); error != 0) {
      floor_error = error;
    }
    running_floor.push_back(Since(start));

    start = Clock::now();
    absl::StatusOr<int> again = RunInNamespaces(set, body);
    reused.push_back(Since(start));
    if (!again.ok()) return again.status();
    if (internal::IdleNamespaceThreadCount() == 0) reusable = false;
  }
  const SampleSummary fresh_floor_summary = Summarize(fresh_floor);
  const SampleSummary running_floor_summary = Summarize(running_floor);
  const SampleSummary fresh_summary = Summarize(fresh);
  const SampleSummary reused_summary = Summarize(reused);

  table.Section(absl::StrCat(
      "In-process namespace thread: round trip into a net namespace "
      "(RunInNamespaces, a callable returning an int)",
      ordinary_user ? "; an ordinary user: from a user namespace of its own"
                    : ""));
  table.Row(floor_error == 0
                ? "floor: a new C++ thread: open+setns+setns back+close, "
                  "joined"
                : absl::StrCat("floor (failed: errno ", floor_error,
                               ", as the thread path cannot return)"),
            FormatNanoseconds(fresh_floor_summary), "1.00x", "");
  table.Row(
      "floor: the same on a running thread woken by a condition "
      "variable",
      FormatNanoseconds(running_floor_summary), "", "");
  table.Row(
      "RunInNamespaces, fresh thread (reuse_thread = false)",
      FormatNanoseconds(fresh_summary),
      Ratio(fresh_summary.median, fresh_floor_summary.median) + " of its floor",
      "<= 100 us");
  table.Row(reusable ? "RunInNamespaces, reused thread"
                     : "RunInNamespaces, default (no worker was reusable: "
                       "the way back is refused without root)",
            FormatNanoseconds(reused_summary),
            Ratio(reused_summary.median, running_floor_summary.median) +
                " of its floor",
            "<= 30 us");
  table.Row("reexec into the same net namespace (static libstdc++)",
            FormatNanoseconds(*reexec), "", "");
  table.Row("  speed-up of the thread path over reexec: fresh / reused",
            absl::StrCat(Ratio(reexec->median, fresh_summary.median), " / ",
                         Ratio(reexec->median, reused_summary.median)),
            "", ">= 15x");
  return absl::OkStatus();
}

}  // namespace gons::bench
