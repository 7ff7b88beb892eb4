// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A call, in the order it runs (entry point: RunOnNamespaceThread()):
//   1. ValidateSet(): refuse what a thread cannot enter, switching nothing;
//      build the `gons_*` entries the switcher reads.
//   2. Take an idle worker at the caller's Place (its namespaces, as the
//      /proc/thread-self/ns links name them, and its root), or start one:
//      Worker::Main() calls unshare(CLONE_FS) and notes its own Place, Home
//      (device and inode of the same) and credentials (Worker::Prepare()).
//   3. On the worker, RunTask(): open its own namespaces of the types asked
//      for, run the switcher (RunSwitcher(), the code that runs before main()
//      elsewhere) on the entries, run the body when it entered everything,
//      switch back, close, and compare its Home and credentials with those
//      noted.
//   4. The worker goes back to the idle list when they matched
//      and there is room; otherwise it exits and the caller joins it.

#include "gons/namespace_thread.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gons/namespace_types.h"
#include "gons/record_status.h"
#include "gons/startup_record.h"
#include "gons/switcher.h"
#include "gons/thread_place.h"

namespace gons::internal {
namespace {

// The switcher's system calls, but for a thread: the caller asked for these
// namespaces in code (no environment chose them, so AT_SECURE does not
// apply), and the types allowed here need no single-threaded process.
const SystemCalls& ThreadSystemCalls() {
  static const SystemCalls calls = [] {
    SystemCalls thread_calls = kSystemCalls;
    thread_calls.count_threads = [] { return 1L; };
    thread_calls.secure_execution = [] { return false; };
    return thread_calls;
  }();
  return calls;
}

// One call, prepared by the caller and run by a worker. Lives on the
// caller's stack until `done`.
struct Task {
  explicit Task(absl::FunctionRef<void()> task_body) : body(task_body) {}

  char** environment = nullptr;  // The switcher's entries, null-terminated.
  bool requested[kNumNamespaceTypes] = {};
  bool reuse = true;  // The worker may be kept after this call.
  absl::FunctionRef<void()> body;
  absl::Status status;        // Of the switch; written by the worker.
  bool worker_exits = false;  // Set by the worker: the caller joins it.
  std::mutex mutex;
  std::condition_variable changed;
  bool done = false;
};

class Worker {
 public:
  // Returns where the worker serves; set before it is first kept.
  const Place& place() const { return place_; }

  // Hands `task` to this idle worker.
  void Assign(Task* task) {
    const std::lock_guard<std::mutex> lock(mutex_);
    next_ = task;
    changed_.notify_one();
  }

  // Starts the thread of this new worker on `first`. `self` owns it.
  absl::Status Start(const std::shared_ptr<Worker>& self, Task* first);

  // Waits for the thread of a worker that exits (Task::worker_exits).
  void Join() { thread_.join(); }

  // The worker thread's life: prepares, then runs `first` and every task
  // assigned later, until one leaves it away from home or it is not kept.
  // `self` is the pool's handle on this worker.
  void Main(const std::shared_ptr<Worker>& self, Task* first);

 private:
  // Returns why the worker cannot run calls, or OK.
  // `reusable`: the worker may serve more than one call, so it notes its
  // Home; a worker for one call only has no use for it.
  absl::Status Prepare(bool reusable);
  // Runs `task`; returns whether the worker is back where it started.
  bool RunTask(Task& task);
  // Whether every namespace and the root are those noted by Prepare().
  // So are its credentials.
  bool IsBackHome() const {
    Home now;
    Credentials credentials;
    std::string failed;
    return ReadHome(&now, &failed) == 0 && now == home_ &&
           ReadCredentials(&credentials) && credentials == credentials_;
  }
  Task* WaitForTask();

  std::thread thread_;  // Written by Start() before the thread reads it.
  Home home_;    // Written by Prepare(), before the worker is in the pool.
  Place place_;  // Likewise: the same place, read as links.
  Credentials credentials_;  // Likewise.
  std::mutex mutex_;
  std::condition_variable changed_;
  Task* next_ = nullptr;
};

// The idle workers. Never destroyed: idle workers wait in it until the
// process exits.
class Pool {
 public:
  // Takes an idle worker at `place`, or returns null.
  std::shared_ptr<Worker> Take(const Place& place) {
    const std::lock_guard<std::mutex> lock(mutex_);
    ForgetAfterFork();
    for (auto worker = idle_.rbegin(); worker != idle_.rend(); ++worker) {
      if ((*worker)->place() == place) {
        std::shared_ptr<Worker> taken = std::move(*worker);
        idle_.erase(std::next(worker).base());
        return taken;
      }
    }
    return nullptr;
  }
  // Keeps `worker` for reuse; false when the pool is full.
  bool Keep(std::shared_ptr<Worker> worker) {
    const std::lock_guard<std::mutex> lock(mutex_);
    ForgetAfterFork();
    if (static_cast<int>(idle_.size()) >= kMaxIdleNamespaceThreads) {
      return false;
    }
    idle_.push_back(std::move(worker));
    return true;
  }
  int IdleCount() {
    const std::lock_guard<std::mutex> lock(mutex_);
    ForgetAfterFork();
    return static_cast<int>(idle_.size());
  }

 private:
  // In the child of a fork() the idle workers' threads do not exist: their
  // records are left alone (a joinable std::thread must not be destroyed)
  // and never handed out.
  void ForgetAfterFork() {
    const pid_t process = getpid();
    if (process == owner_) return;
    if (!idle_.empty()) {
      static auto* const orphans = new std::vector<std::shared_ptr<Worker>>;
      orphans->insert(orphans->end(), idle_.begin(), idle_.end());
      idle_.clear();
    }
    owner_ = process;
  }

  std::mutex mutex_;
  std::vector<std::shared_ptr<Worker>> idle_;
  pid_t owner_ = getpid();
};

Pool& ThePool() {
  static Pool* const pool = new Pool;
  return *pool;
}

// The codes gons::RunInNamespaces documents for an errno of its own calls.
absl::StatusCode CodeForWorkerErrno(int error_number) {
  switch (error_number) {
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case EAGAIN:
      return absl::StatusCode::kResourceExhausted;
    default:
      return absl::StatusCode::kFailedPrecondition;
  }
}

std::string DescribeErrno(int error_number) {
  const char* name = strerrorname_np(error_number);
  return absl::StrCat(
      std::strerror(error_number), " (",
      name != nullptr ? name : absl::StrCat("errno ", error_number), ")");
}

void Finish(Task& task, bool worker_exits) {
  const std::lock_guard<std::mutex> lock(task.mutex);
  task.worker_exits = worker_exits;
  task.done = true;
  task.changed.notify_one();
}

absl::Status Worker::Prepare(bool reusable) {
  // The mount switch needs filesystem attributes (root, working directory)
  // that no other thread shares.
  if (unshare(CLONE_FS) != 0) {
    const int error = errno;
    return absl::Status(
        CodeForWorkerErrno(error),
        absl::StrCat("gons: the namespace thread could not get its own "
                     "filesystem attributes: unshare(CLONE_FS): ",
                     DescribeErrno(error)));
  }
  std::string failed;
  if (const int error = reusable ? ReadHome(&home_, &failed) : 0; error != 0) {
    return absl::Status(
        CodeForWorkerErrno(error),
        absl::StrCat("gons: the namespace thread could not read where it "
                     "is: stat ",
                     failed, ": ", DescribeErrno(error),
                     " (is /proc mounted?); nothing was switched"));
  }
  if (const int error = reusable ? ReadPlace(&place_) : 0; error != 0) {
    return absl::Status(
        CodeForWorkerErrno(error),
        absl::StrCat("gons: the namespace thread could not read its "
                     "namespaces' links in /proc/thread-self/ns: ",
                     DescribeErrno(error), "; nothing was switched"));
  }
  if (reusable && !ReadCredentials(&credentials_)) {
    const int error = errno;
    return absl::Status(
        CodeForWorkerErrno(error),
        absl::StrCat("gons: the namespace thread could not read its "
                     "credentials (getresuid, getresgid, capget): ",
                     DescribeErrno(error), "; nothing was switched"));
  }
  return absl::OkStatus();
}

bool Worker::RunTask(Task& task) {
  // Descriptors of the worker's own namespaces, opened before any switch so
  // that the way back does not depend on the paths of the namespaces
  // entered.
  int original[kNumNamespaceTypes];
  for (int& fd : original) fd = -1;
  const auto close_originals = [&original] {
    for (int& fd : original) {
      if (fd >= 0) close(fd);  // Read-only namespace file: nothing to lose.
      fd = -1;
    }
  };
  for (const int type_index : kThreadTypes) {
    if (!task.requested[type_index]) continue;
    const std::string path = OwnNamespacePath(type_index);
    original[type_index] = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (original[type_index] < 0) {
      const int error = errno;
      close_originals();
      task.status = absl::Status(
          CodeForWorkerErrno(error),
          absl::StrCat("gons: the namespace thread could not open its own ",
                       kNamespaceTypes[type_index].name, " namespace: ", path,
                       ": ", DescribeErrno(error), "; nothing was switched"));
      return task.reuse && IsBackHome();
    }
  }

  StartupRecord record = {};
  RunSwitcher(task.environment, ThreadSystemCalls(), &record);
  task.status = StatusFromRecord(record);
  if (task.status.ok()) task.body();

  bool switched_back = true;
  for (int position = record.entered_count - 1; position >= 0; --position) {
    const int type_index = record.entered_sequence[position];
    if (setns(original[type_index], kNamespaceTypes[type_index].clone_flag) !=
        0) {
      switched_back = false;
    }
  }
  close_originals();
  // A worker for this call only exits anyway: nothing to prove.
  return task.reuse && switched_back && IsBackHome();
}

Task* Worker::WaitForTask() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return next_ != nullptr; });
  Task* task = next_;
  next_ = nullptr;
  return task;
}

absl::Status Worker::Start(const std::shared_ptr<Worker>& self, Task* first) {
  const std::lock_guard<std::mutex> lock(mutex_);
  try {
    thread_ = std::thread([self, first] { self->Main(self, first); });
  } catch (const std::system_error& error) {
    return absl::ResourceExhaustedError(
        absl::StrCat("gons: could not start a namespace thread: ", error.what(),
                     "; nothing was switched"));
  }
  return absl::OkStatus();
}

void Worker::Main(const std::shared_ptr<Worker>& self, Task* first) {
  // Start() has assigned thread_ once this lock is had; a later caller that
  // joins this worker finds it through the pool, after Keep().
  { const std::lock_guard<std::mutex> started(mutex_); }
  if (absl::Status prepared = Prepare(first->reuse); !prepared.ok()) {
    first->status = std::move(prepared);
    return Finish(*first, true);
  }
  for (Task* task = first;; task = WaitForTask()) {
    const bool home = RunTask(*task);
    // Back in the pool before the caller is told, so that the caller's next
    // call finds it.
    if (!home || !task->reuse || !ThePool().Keep(self)) {
      return Finish(*task, true);
    }
    Finish(*task, false);
  }
}

// Checks what a thread can enter and builds the switcher's entries
// (`gons_net=PATH`, ...) into `entries`.
absl::Status ValidateSet(const NamespaceSet& set, Task* task,
                         std::vector<std::string>* entries) {
  for (const NamespacePath& requested : set) {
    const int type_index =
        FindNamespaceTypeIndex(requested.type.data(), requested.type.size());
    if (type_index < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "gons: unknown namespace type \"", absl::CEscape(requested.type),
          "\"; a thread enters mnt, cgroup, ipc, net and uts; nothing was "
          "switched"));
    }
    const char* name = kNamespaceTypes[type_index].name;
    if (!IsThreadType(type_index)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "gons: a ", name,
          " namespace cannot be entered by a thread: setns() allows user, "
          "pid and time namespaces only to a single-threaded process (or "
          "affects only children); run the action with "
          "gons::reexec::RunReexecAction instead; nothing was switched"));
    }
    if (task->requested[type_index]) {
      return absl::InvalidArgumentError(
          absl::StrCat("gons: the ", name,
                       " namespace is given twice; nothing was switched"));
    }
    if (requested.path.empty() || requested.path.front() != '/' ||
        requested.path.find('\0') != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "gons: the path of the ", name, " namespace, \"",
          absl::CEscape(requested.path.substr(0, 200)),
          "\", is not an absolute path without NUL bytes (the namespace "
          "thread has its own working directory); nothing was switched"));
    }
    task->requested[type_index] = true;
    entries->push_back(absl::StrCat(kNamespaceTypes[type_index].variable, "=",
                                    requested.path));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunOnNamespaceThread(const NamespaceSet& set,
                                  const NamespaceThreadOptions& options,
                                  absl::FunctionRef<void()> body) {
  Task task(body);
  task.reuse = options.reuse_thread;
  std::vector<std::string> entries;
  if (absl::Status valid = ValidateSet(set, &task, &entries); !valid.ok()) {
    return valid;
  }
  std::vector<char*> environment;
  environment.reserve(entries.size() + 1);
  for (std::string& entry : entries) environment.push_back(entry.data());
  environment.push_back(nullptr);
  task.environment = environment.data();

  std::shared_ptr<Worker> worker;
  if (options.reuse_thread) {
    // A caller whose place cannot be read gets a fresh worker, whose own
    // attempt to read it reports why.
    Place place;
    if (ReadPlace(&place) == 0) worker = ThePool().Take(place);
  }
  if (worker != nullptr) {
    worker->Assign(&task);
  } else {
    worker = std::make_shared<Worker>();
    if (absl::Status started = worker->Start(worker, &task); !started.ok()) {
      return started;
    }
  }
  if (!options.reuse_thread) {
    // It exits after this call: its end is the only wake-up needed.
    worker->Join();
    return std::move(task.status);
  }
  {
    std::unique_lock<std::mutex> lock(task.mutex);
    task.changed.wait(lock, [&task] { return task.done; });
  }
  if (task.worker_exits) worker->Join();
  return std::move(task.status);
}

int IdleNamespaceThreadCount() { return ThePool().IdleCount(); }

}  // namespace gons::internal
