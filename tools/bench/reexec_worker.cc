// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The benchmark's //reexec program: it measures reexec round trips, echoes
// and many namespaces from the inside, as a parent that re-executes itself,
// and prints its figures for //tools/bench to tabulate. It is built twice,
// with the default linking and with the fast start-up linking (see
// BUILD.bazel), to compare them.
//
// Usage (every figure is in nanoseconds or KiB, one line per sample):
//   reexec_worker roundtrip RUNS FLOOR_EXIT [TYPE=PATH,...]
//       Per run, interleaved: "sample C_FLOOR SELF_FLOOR REEXEC [REEXEC_NS]":
//       spawning FLOOR_EXIT with pipes; spawning this program with pipes
//       and exiting at the top of main(); a reexec round trip with a small
//       JSON result; the same in the namespaces given.
//   reexec_worker forkserver RUNS [TYPE=PATH,...]
//       After one warm-up call, per run, interleaved: "forksample SPAWN FORK
//       [SPAWN_NS FORK_NS]": a reexec round trip with a small JSON result,
//       the same through the fork server (ForkServer(true)), and both in
//       the namespaces given.
//   reexec_worker echo BYTES
//       One reexec echo of a BYTES-long JSON string: "echo NANOSECONDS
//       PARENT_PEAK_KIB CHILD_PEAK_KIB PARENT_RESTING_KIB CHILD_RESTING_KIB
//       CPU_NANOSECONDS" (resting: the resident memory before the payload
//       exists, after a first tiny echo; CPU: user and system time of both
//       processes in the call).
//   GONS_BENCH_ECHO_AT_MAIN=1 reexec_worker
//       Copies stdin to stdout at the top of main(), buffering the whole of
//       it as floor_echo's "buffer" does: the data floor of an echo by
//       this same program (its start-up included).
//   reexec_worker scale NAMESPACES THREADS...
//       Makes NAMESPACES throwaway network namespaces ("made NANOSECONDS"),
//       then for each THREADS runs one action in each of them from that
//       many threads: "threads THREADS TOTAL_NANOSECONDS LATENCY..." with
//       each action's latency in namespace order.
// Exits 0, or 1 with the error on stderr.

#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "reexec/reexec.h"
#include "tools/bench/piped_child.h"
#include "tools/bench/throwaway_namespaces.h"

namespace gons::bench {
namespace {

// Set in the environment of a child that must exit at the top of main():
// the floor of a reexec round trip, which starts the same program.
constexpr char kExitAtMain[] = "GONS_BENCH_EXIT_AT_MAIN";
// Set in the environment of a child that must echo stdin at the top of
// main(): the floor of a reexec echo.
constexpr char kEchoAtMain[] = "GONS_BENCH_ECHO_AT_MAIN";

// A "VmHWM"-like field of /proc/self/status, in KiB (-1 if missing).
long StatusKib(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field, 0) == 0) {
      return std::strtol(line.c_str() + std::strlen(field) + 1, nullptr, 10);
    }
  }
  return -1;
}

// The resident memory now, in KiB. Read twice: the first reading of
// /proc/self/status pages in the code that reads it (the kernel maps code
// 64 KiB at a time), after the kernel has counted what is resident.
long RestingKib() {
  StatusKib("VmRSS");
  return StatusKib("VmRSS");
}

const bool registered = [] {
  gons::reexec::Register(
      "noop", [] { (void)gons::reexec::WriteResult(std::string("ok")); });
  gons::reexec::Register("echo", [] {
    const long resting = RestingKib();
    absl::StatusOr<std::string> param = gons::reexec::ReadParam<std::string>();
    if (!param.ok()) {
      std::cerr << param.status() << "\n";
      _exit(1);
    }
    (void)gons::reexec::WriteResult(*param);
    // The child's own peak, for the parent to report: the kernel's
    // rusage of a posix_spawn child counts the parent's memory, which the
    // child shares until exec.
    std::cerr << StatusKib("VmHWM") << " " << resting << "\n";
  });
  return true;
}();

std::vector<std::string> CurrentEnvironment() {
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    environment.emplace_back(*entry);
  }
  return environment;
}

// "user=/proc/1/ns/user,net=/x" -> Namespaces.
std::vector<gons::reexec::Namespace> ParseNamespaces(const std::string& list) {
  std::vector<gons::reexec::Namespace> namespaces;
  for (absl::string_view entry : absl::StrSplit(list, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> parts = absl::StrSplit(entry, '=');
    namespaces.push_back({parts.first, parts.second});
  }
  return namespaces;
}

absl::Status Noop(const std::vector<gons::reexec::Namespace>& namespaces,
                  bool fork_server = false) {
  std::string result;
  absl::Status status = gons::reexec::RunReexecAction(
      "noop", gons::reexec::Namespaces(namespaces),
      gons::reexec::Result(&result), gons::reexec::ForkServer(fork_server));
  if (status.ok() && result != "ok") {
    status = absl::InternalError("noop returned \"" + result + "\"");
  }
  return status;
}

absl::Status RoundTrip(int runs, const std::string& floor_exit,
                       const std::string& namespace_list) {
  const std::vector<gons::reexec::Namespace> namespaces =
      ParseNamespaces(namespace_list);
  std::vector<std::string> self_environment = CurrentEnvironment();
  self_environment.push_back(std::string(kExitAtMain) + "=1");
  for (int run = 0; run < runs; ++run) {
    std::vector<std::int64_t> sample;
    absl::StatusOr<PipedRun> c_floor = RunPiped({floor_exit}, {}, "");
    if (!c_floor.ok()) return c_floor.status();
    sample.push_back(c_floor->elapsed_nanoseconds);
    absl::StatusOr<PipedRun> self_floor =
        RunPiped({"/proc/self/exe"}, self_environment, "");
    if (!self_floor.ok()) return self_floor.status();
    sample.push_back(self_floor->elapsed_nanoseconds);
    std::int64_t start = MonotonicNanoseconds();
    if (absl::Status status = Noop({}); !status.ok()) return status;
    sample.push_back(MonotonicNanoseconds() - start);
    if (!namespaces.empty()) {
      start = MonotonicNanoseconds();
      if (absl::Status status = Noop(namespaces); !status.ok()) return status;
      sample.push_back(MonotonicNanoseconds() - start);
    }
    std::cout << "sample " << absl::StrJoin(sample, " ") << "\n";
  }
  return absl::OkStatus();
}

// Returns how long one Noop() takes.
absl::StatusOr<std::int64_t> TimeNoop(
    const std::vector<gons::reexec::Namespace>& namespaces, bool fork_server) {
  const std::int64_t start = MonotonicNanoseconds();
  if (absl::Status status = Noop(namespaces, fork_server); !status.ok()) {
    return status;
  }
  return MonotonicNanoseconds() - start;
}

absl::Status ForkServerRoundTrip(int runs, const std::string& namespace_list) {
  const std::vector<gons::reexec::Namespace> namespaces =
      ParseNamespaces(namespace_list);
  // Starts the helper, which every later call reuses.
  if (absl::Status status = Noop({}, true); !status.ok()) return status;
  for (int run = 0; run < runs; ++run) {
    std::vector<std::int64_t> sample;
    for (const bool in_namespaces : {false, true}) {
      if (in_namespaces && namespaces.empty()) break;
      for (const bool fork_server : {false, true}) {
        absl::StatusOr<std::int64_t> elapsed = TimeNoop(
            in_namespaces ? namespaces : std::vector<gons::reexec::Namespace>(),
            fork_server);
        if (!elapsed.ok()) return elapsed.status();
        sample.push_back(*elapsed);
      }
    }
    std::cout << "forksample " << absl::StrJoin(sample, " ") << "\n";
  }
  return absl::OkStatus();
}

absl::Status Echo(std::size_t bytes) {
  // A first, tiny echo pages in the runner's code (resident memory too),
  // so that the memory above resting is the payload's.
  std::string warm;
  std::string warm_memory;
  if (absl::Status status = gons::reexec::RunReexecAction(
          "echo", gons::reexec::Param(std::string("warm")),
          gons::reexec::Result(&warm),
          gons::reexec::StandardError(&warm_memory));
      !status.ok()) {
    return status;
  }
  const long resting = RestingKib();
  std::string payload(bytes, ' ');
  for (std::size_t i = 0; i < bytes; ++i) {
    payload[i] = static_cast<char>('a' + i % 26);
  }
  std::string result;
  std::string child_memory;
  rusage before = {};
  getrusage(RUSAGE_SELF, &before);
  rusage children_before = {};  // The warm-up child.
  getrusage(RUSAGE_CHILDREN, &children_before);
  const std::int64_t start = MonotonicNanoseconds();
  absl::Status status = gons::reexec::RunReexecAction(
      "echo", gons::reexec::Param(payload), gons::reexec::Result(&result),
      gons::reexec::StandardError(&child_memory));
  const std::int64_t elapsed = MonotonicNanoseconds() - start;
  rusage after = {};
  getrusage(RUSAGE_SELF, &after);
  rusage children = {};  // With this call's child, reaped.
  getrusage(RUSAGE_CHILDREN, &children);
  // Before anything is printed: code used for the first time (the
  // output's) would be mapped in, 64 KiB at a time, and count.
  const long peak = StatusKib("VmHWM");
  if (!status.ok()) return status;
  if (result != payload) return absl::InternalError("the echo differs");
  char* rest = nullptr;
  const long child_peak = std::strtol(child_memory.c_str(), &rest, 10);
  const long child_resting = std::strtol(rest, nullptr, 10);
  std::cout << "echo " << elapsed << " " << peak << " " << child_peak << " "
            << resting << " " << child_resting << " "
            << CpuNanoseconds(after) - CpuNanoseconds(before) +
                   CpuNanoseconds(children) - CpuNanoseconds(children_before)
            << "\n";
  return absl::OkStatus();
}

// Reads stdin to its end into one buffer that doubles, then writes it
// out, with raw system calls; returns the exit code. As floor_echo.c.
int EchoBuffered() {
  std::size_t capacity = std::size_t{1} << 16;
  std::size_t size = 0;
  char* data = static_cast<char*>(std::malloc(capacity));
  for (;;) {
    if (data == nullptr) return 1;
    if (size == capacity) {
      capacity *= 2;
      char* grown = static_cast<char*>(std::realloc(data, capacity));
      if (grown == nullptr) std::free(data);
      data = grown;
      continue;
    }
    const ssize_t got = read(0, data + size, capacity - size);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      std::free(data);
      return 1;
    }
    size += static_cast<std::size_t>(got);
  }
  for (std::size_t at = 0; at < size;) {
    const ssize_t written = write(1, data + at, size - at);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) {
      std::free(data);
      return 1;
    }
    at += static_cast<std::size_t>(written);
  }
  std::free(data);
  return 0;
}

absl::Status Scale(int count, const std::vector<int>& thread_counts) {
  std::int64_t start = MonotonicNanoseconds();
  absl::StatusOr<std::unique_ptr<ThrowawayNamespaces>> made =
      ThrowawayNamespaces::Make(0, count);
  if (!made.ok()) return made.status();
  std::cout << "made " << MonotonicNanoseconds() - start << "\n";
  const std::vector<std::string>& networks = (*made)->extra_networks();
  for (int threads : thread_counts) {
    std::vector<std::int64_t> latencies(networks.size());
    std::vector<absl::Status> statuses(networks.size());
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      for (std::size_t i; (i = next.fetch_add(1)) < networks.size();) {
        std::vector<gons::reexec::Namespace> namespaces;
        if ((*made)->has_user_namespace()) {
          namespaces.push_back({"!user", (*made)->Path("user")});
        }
        namespaces.push_back({"net", networks[i]});
        const std::int64_t begin = MonotonicNanoseconds();
        statuses[i] = Noop(namespaces);
        latencies[i] = MonotonicNanoseconds() - begin;
      }
    };
    start = MonotonicNanoseconds();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(work);
    for (std::thread& thread : pool) thread.join();
    const std::int64_t total = MonotonicNanoseconds() - start;
    for (const absl::Status& status : statuses) {
      if (!status.ok()) return status;
    }
    std::cout << "threads " << threads << " " << total << " "
              << absl::StrJoin(latencies, " ") << "\n";
  }
  return absl::OkStatus();
}

absl::Status Main(const std::vector<std::string>& args) {
  int number = 0;
  if (args.size() >= 3 && args[0] == "roundtrip" &&
      absl::SimpleAtoi(args[1], &number)) {
    return RoundTrip(number, args[2], args.size() > 3 ? args[3] : "");
  }
  if (args.size() >= 2 && args[0] == "forkserver" &&
      absl::SimpleAtoi(args[1], &number)) {
    return ForkServerRoundTrip(number, args.size() > 2 ? args[2] : "");
  }
  std::size_t bytes = 0;
  if (args.size() == 2 && args[0] == "echo" &&
      absl::SimpleAtoi(args[1], &bytes)) {
    return Echo(bytes);
  }
  if (args.size() >= 3 && args[0] == "scale" &&
      absl::SimpleAtoi(args[1], &number)) {
    std::vector<int> thread_counts;
    for (std::size_t i = 2; i < args.size(); ++i) {
      int threads = 0;
      if (!absl::SimpleAtoi(args[i], &threads) || threads < 1) break;
      thread_counts.push_back(threads);
    }
    if (thread_counts.size() == args.size() - 2) {
      return Scale(number, thread_counts);
    }
  }
  return absl::InvalidArgumentError(
      "usage: reexec_worker roundtrip RUNS FLOOR_EXIT [TYPE=PATH,...] | "
      "forkserver RUNS [TYPE=PATH,...] | echo BYTES | "
      "scale NAMESPACES THREADS...");
}

}  // namespace
}  // namespace gons::bench

int main(int argc, char** argv) {
  gons::reexec::CheckAction();
  if (getenv(gons::bench::kExitAtMain) != nullptr) _exit(0);
  if (getenv(gons::bench::kEchoAtMain) != nullptr) {
    _exit(gons::bench::EchoBuffered());
  }
  const absl::Status status =
      gons::bench::Main(std::vector<std::string>(argv + 1, argv + argc));
  if (!status.ok()) {
    std::cerr << "reexec_worker: " << status << "\n";
    return 1;
  }
  return 0;
}
