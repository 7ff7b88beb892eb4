// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/inspect.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "reexec/reexec.h"
#include "tools/nsinspect/collect.h"
#include "tools/nsinspect/host_side.h"
#include "tools/nsinspect/parallel_for.h"
#include "tools/nsinspect/proc_directory.h"
#include "tools/nsinspect/target.h"
#include "tools/nsinspect/thread_view.h"
#include "tools/nsinspect/via.h"
#include "tools/nsinspect/view.h"
#include "tools/nsinspect/view_request.h"
#include "tools/nsinspect/wire_strings.h"

namespace gons::nsinspect {
namespace {

// The child's action. Its param says whether it entered a PID namespace.
constexpr char kViewAction[] = "nsinspect-view";

[[noreturn]] void FailChild(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::exit(1);
}

void WriteViewOrFail(const ViewRequest& request) {
  // The /proc of the target's mount namespace, as the child sees it now.
  NamespaceView view = CollectView(request, Collector::kProcess,
                                   ProcDirectory::Open(/*confined=*/false));
  EscapeEveryString(&view);  // Names need not be UTF-8 (wire_strings.h).
  if (absl::Status status = reexec::WriteResult(view); !status.ok()) {
    FailChild(std::string(status.message()));
  }
}

// Runs in the re-executed child, after //gons entered the namespaces.
void ViewAction() {
  absl::StatusOr<ViewRequest> request = reexec::ReadParam<ViewRequest>();
  if (!request.ok()) FailChild(std::string(request.status().message()));
  if (!request->enter_pid_namespace) {
    WriteViewOrFail(*request);
    return;
  }
  // setns(CLONE_NEWPID) moves only this process's future children, and a
  // container's /proc shows no /proc/self to a process outside its PID
  // namespace. The child is single-threaded here, so fork() is safe.
  std::fflush(nullptr);
  const pid_t grandchild = fork();
  if (grandchild < 0) {
    const int error = errno;
    FailChild(absl::StrCat(
        "cannot start a process in the PID namespace: ", std::strerror(error),
        error == ENOMEM ? " (its init process has exited)" : ""));
  }
  if (grandchild == 0) {
    WriteViewOrFail(*request);
    std::fflush(nullptr);
    _exit(0);
  }
  int wait_status = 0;
  while (waitpid(grandchild, &wait_status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(wait_status)) {
    // Killed from inside the target's PID namespace, or by its init's exit.
    FailChild(absl::StrCat(
        "the process nsinspect started in the PID namespace was killed by "
        "signal ",
        WTERMSIG(wait_status), " (", strsignal(WTERMSIG(wait_status)), ")"));
  }
  if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) std::exit(1);
}

const bool kViewActionRegistered = [] {
  reexec::Register(kViewAction, ViewAction);
  return true;
}();

// Makes a failure of the child one line without the runner's own preamble:
// what the user needs is the child's reason (its stderr).
absl::Status OneLine(const absl::Status& status) {
  std::string message(status.message());
  constexpr char kStderr[] = "; child stderr: ";
  if (const std::size_t at = message.find(kStderr); at != std::string::npos) {
    absl::string_view reason =
        absl::string_view(message).substr(at + std::strlen(kStderr));
    absl::ConsumePrefix(&reason, "gons reexec: ");
    message = message.find("could not enter") != std::string::npos
                  ? absl::StrCat("cannot enter its namespaces: ", reason)
                  : std::string(reason);
  }
  absl::StrReplaceAll({{"\n", "; "}}, &message);
  return absl::Status(status.code(), message);
}

// Runs the view action in a child: spawned, or forked by the fork server.
absl::Status CollectInChild(const ResolvedTarget& target,
                            const ViewRequest& request, absl::Duration timeout,
                            bool fork_server, NamespaceView* view) {
  absl::Status status = OneLine(reexec::RunReexecAction(
      kViewAction, reexec::Namespaces(NamespacesToEnter(target)),
      reexec::Param(request), reexec::Result(view), reexec::Timeout(timeout),
      reexec::ForkServer(fork_server)));
  if (status.ok()) status = UnescapeEveryString(view);
  return status;
}

// Collects the view of `target` the way `options.via` says; `threads_can`
// is CheckThreadsCanInspect(), asked once per call of InspectTargets.
absl::Status Collect(const ResolvedTarget& target, const ViewRequest& request,
                     const InspectOptions& options,
                     const absl::Status& threads_can, NamespaceView* view) {
  switch (options.via) {
    case Via::kSpawn:
    case Via::kForkServer:
      return CollectInChild(target, request, options.timeout,
                            options.via == Via::kForkServer, view);
    case Via::kThread: {
      if (!threads_can.ok()) return threads_can;
      if (absl::Status can = CheckThreadCanEnter(target); !can.ok()) {
        return can;
      }
      absl::StatusOr<NamespaceView> collected =
          CollectViewOnThread(target, request);
      if (!collected.ok()) {
        return absl::Status(collected.status().code(),
                            absl::StrCat("cannot enter its namespaces: ",
                                         collected.status().message()));
      }
      *view = *std::move(collected);
      return absl::OkStatus();
    }
    case Via::kAuto:
      break;
  }
  if (threads_can.ok() && CheckThreadCanEnter(target).ok()) {
    absl::StatusOr<NamespaceView> collected =
        CollectViewOnThread(target, request);
    if (collected.ok()) {
      *view = *std::move(collected);
      return absl::OkStatus();
    }
    // Nothing was collected: the fork server tries again, and says why it
    // cannot enter in the words a child uses.
  }
  return CollectInChild(target, request, options.timeout, true, view);
}

TargetReport Inspect(const TargetSpec& spec, const InspectOptions& options,
                     const absl::Status& threads_can) {
  TargetReport report;
  report.label = spec.label;
  absl::StatusOr<ResolvedTarget> target = ResolveTarget(spec);
  if (!target.ok()) {
    report.status = target.status();
    return report;
  }
  report.namespaces = target->namespaces;
  report.status =
      Collect(*target, RequestFor(*target), options, threads_can, &report.view);
  // A process that exited meanwhile makes any view doubtful (its PID may
  // name another process by the time the child opened it), and explains
  // a failed child better than the child's exit status does.
  if (absl::Status alive = CheckTargetStillAlive(*target); !alive.ok()) {
    report.status = alive;
    report.view = NamespaceView();
    return report;
  }
  if (report.status.ok() && target->process != nullptr) {
    AddHostSideParts(*target->process, &report.view);
  }
  return report;
}

}  // namespace

TargetReport InspectTarget(const TargetSpec& spec,
                           const InspectOptions& options) {
  return Inspect(spec, options, CheckThreadsCanInspect());
}

std::vector<TargetReport> InspectTargets(const std::vector<TargetSpec>& specs,
                                         const InspectOptions& options) {
  std::vector<TargetReport> reports(specs.size());
  InspectTargets(specs, options,
                 [&reports](std::size_t i, TargetReport& report) {
                   reports[i] = std::move(report);
                 });
  return reports;
}

void InspectTargets(
    const std::vector<TargetSpec>& specs, const InspectOptions& options,
    absl::FunctionRef<void(std::size_t, TargetReport&)> consume) {
  const absl::Status threads_can = CheckThreadsCanInspect();
  ForEachIndexInParallel(specs.size(), options.parallel, [&](std::size_t i) {
    TargetReport report = Inspect(specs[i], options, threads_can);
    consume(i, report);
  });
}

}  // namespace gons::nsinspect
