// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The switcher, in the order it runs. The entry points come first:
// RunSwitcherAtStartup(), called from startup_hook.cc before main(), and
// RunSwitcher(), the steps themselves; the steps' definitions follow them:
//   1. ConsumeVariables(): record the gons_* values, remove them from envp.
//   2. AT_SECURE: ignore them all in a privileged program.
//   3. gons_credentials and ParseOrder(): refuse a bad value, switching
//      nothing.
//   4. CountThreads(): refuse a multi-threaded process, switching nothing.
//   5. OpenEarlyPaths(): open every `!` path before any switch.
//   6. SwitchInOrder() (strict) or SwitchTolerantly() (pass one, user, pass
//      two), each switch through Enter().
//   7. Close what is left open; then BecomeRoot() for gons_credentials=root.
// Every step writes the one StartupRecord; gons.cc reads it after main().
// RunSwitcherAgain() runs the same steps after start-up, in a copy that
// reexec's fork server forked (single-threaded again).
// gons/README.md maps each system call and the tests that hold the rules.

#include "gons/switcher.h"

#include <fcntl.h>
#include <link.h>
#include <linux/capability.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>

#include "gons/environment.h"
#include "gons/namespace_types.h"
#include "gons/order.h"
#include "gons/raw_system_call.h"

namespace gons::internal {
namespace {

// Static storage of a trivially constructible type and no initializer: the
// loader zero-fills it, and no dynamic initializer exists that could reset it
// after the startup hook has written it (see startup_record.h).
StartupRecord process_record;

// The auxiliary vector as the kernel left it on the initial stack, right
// after the null pointer that ends the environment; found by
// RunSwitcherAtStartup() before the environment is edited. Read directly
// rather than through getauxval(): no libc call before main() (see
// raw_system_call.h).
const ElfW(auxv_t) * startup_auxiliary_vector;

// The descriptors opened so far, by type index; -1 where none is open.
struct Descriptors {
  int fd[kNumNamespaceTypes];
};

// The steps, in the order RunSwitcher() takes them; defined below it.
void ConsumeVariables(char** envp, StartupRecord* record);
bool Equals(const char* text, const char* expected);
bool OpenEarlyPaths(const SystemCalls& calls, Descriptors* descriptors,
                    StartupRecord* record);
void SwitchInOrder(const SystemCalls& calls, Descriptors* descriptors,
                   StartupRecord* record);
void SwitchTolerantly(const SystemCalls& calls, Descriptors* descriptors,
                      StartupRecord* record);
void BecomeRoot(const SystemCalls& calls, StartupRecord* record);

}  // namespace

void RunSwitcherAtStartup(char** envp) {
  if (envp != nullptr) {
    char** end = envp;
    while (*end != nullptr) ++end;
    startup_auxiliary_vector = reinterpret_cast<const ElfW(auxv_t)*>(end + 1);
  }
  RunSwitcher(envp, kSystemCalls, &process_record);
}

void RunSwitcherAgain(char** envp, const SystemCalls& calls) {
  // Back to the loader's zeroes, byte by byte: volatile, so that the
  // compiler emits no memset call, which every program linking gons would
  // then import.
  volatile unsigned char* bytes =
      reinterpret_cast<volatile unsigned char*>(&process_record);
  for (std::size_t i = 0; i < sizeof(process_record); ++i) bytes[i] = 0;
  RunSwitcher(envp, calls, &process_record);
}

void RunSwitcher(char** envp, const SystemCalls& calls, StartupRecord* record) {
  record->ran = true;
  record->thread_count = -1;
  ConsumeVariables(envp, record);
  if (!record->variables_present) return;

  // A set-user-ID, set-group-ID or file-capability program must not let
  // whoever starts it choose the namespaces it runs in.
  if (calls.secure_execution()) {
    record->failed_step = SwitchStep::kSecurity;
    return;
  }
  if (const char* credentials = record->credentials_text;
      credentials != nullptr && !Equals(credentials, "") &&
      !Equals(credentials, "keep")) {
    if (!Equals(credentials, "root")) {
      record->failed_step = SwitchStep::kCredentials;
      return;
    }
    record->become_root = true;
  }
  const char* order_text =
      record->order_text != nullptr ? record->order_text : kDefaultOrder;
  if (!ParseOrder(order_text, &record->order, &record->order_error)) {
    record->failed_step = SwitchStep::kParseOrder;
    return;
  }
  bool any_pending = false;
  for (int step = 0; step < record->order.count; ++step) {
    const OrderStep& order_step = record->order.steps[step];
    NamespaceRecord& entry = record->namespaces[order_step.type_index];
    if (entry.path == nullptr) continue;
    entry.state = NamespaceState::kPending;
    entry.open_early = order_step.open_early;
    any_pending = true;
  }
  if (!any_pending) return;

  // setns() moves only the calling thread, and refuses user, mnt and time
  // namespaces to a multi-threaded process: a half-switched process is worse
  // than none, so switch nothing.
  record->thread_count = calls.count_threads();
  if (record->thread_count > 1) {
    record->failed_step = SwitchStep::kThreads;
    return;
  }

  Descriptors descriptors;
  for (int& fd : descriptors.fd) fd = -1;
  if (OpenEarlyPaths(calls, &descriptors, record)) {
    if (record->order.tolerant) {
      SwitchTolerantly(calls, &descriptors, record);
    } else {
      SwitchInOrder(calls, &descriptors, record);
    }
  }
  // Only reached with descriptors left over after a failure, which is already
  // recorded; a failing close() here could add nothing the caller can act on.
  for (const int fd : descriptors.fd) {
    if (fd >= 0) calls.close(fd);
  }
  constexpr int kUser = FindNamespaceTypeIndex("user", 4);
  if (record->become_root && record->failed_step == SwitchStep::kNone &&
      record->namespaces[kUser].state == NamespaceState::kEntered) {
    BecomeRoot(calls, record);
  }
}

const StartupRecord& ProcessStartupRecord() { return process_record; }

namespace {

// The system calls are made directly: see raw_system_call.h.
int OpenPath(const char* path, int flags) {
  // Never O_CREAT or O_TMPFILE, so openat() reads no mode argument.
  return static_cast<int>(
      RawSystemCall(SYS_openat, AT_FDCWD, reinterpret_cast<long>(path), flags));
}
int GetNamespaceType(int fd) {
  return static_cast<int>(RawSystemCall(SYS_ioctl, fd, NS_GET_NSTYPE, 0));
}
int EnterNamespace(int fd, int clone_flag) {
  return static_cast<int>(RawSystemCall(SYS_setns, fd, clone_flag, 0));
}
int ClosePath(int fd) {
  return static_cast<int>(RawSystemCall(SYS_close, fd, 0, 0));
}
int EffectiveCapabilities(unsigned long long* capabilities) {
  __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  const long result = RawSystemCall(SYS_capget, reinterpret_cast<long>(&header),
                                    reinterpret_cast<long>(data), 0);
  if (result < 0) return static_cast<int>(result);
  *capabilities = data[0].effective |
                  static_cast<unsigned long long>(data[1].effective) << 32;
  return 0;
}
// PR_GET_SECCOMP reads no further argument.
int DropSupplementaryGroups() {
  return static_cast<int>(RawSystemCall(SYS_setgroups, 0, 0, 0));
}
// Raw, so only the calling thread changes: the switcher runs while the
// process is single-threaded.
int SetGid(unsigned gid) {
  return static_cast<int>(RawSystemCall(SYS_setgid, gid, 0, 0));
}
int SetUid(unsigned uid) {
  return static_cast<int>(RawSystemCall(SYS_setuid, uid, 0, 0));
}
int SeccompMode() {
  return static_cast<int>(RawSystemCall(SYS_prctl, PR_GET_SECCOMP, 0, 0));
}
long ReadSome(int fd, char* buffer, std::size_t size) {
  return RawSystemCall(SYS_read, fd, reinterpret_cast<long>(buffer),
                       static_cast<long>(size));
}

bool IsSecureExecution() {
  for (const ElfW(auxv_t)* entry = startup_auxiliary_vector;
       entry != nullptr && entry->a_type != AT_NULL; ++entry) {
    if (entry->a_type == AT_SECURE) return entry->a_un.a_val != 0;
  }
  return true;  // Not found (never seen): the safe answer.
}

// Reads num_threads, field 20 of /proc/self/stat. The command name (field 2)
// may itself contain spaces and parentheses, so counting starts after the
// last ')'.
long CountThreads() {
  const int fd = OpenPath("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buffer[1024];
  std::size_t length = 0;
  while (length < sizeof(buffer) - 1) {
    const long got = ReadSome(fd, buffer + length, sizeof(buffer) - 1 - length);
    if (got == -EINTR) continue;
    if (got <= 0) break;
    length += static_cast<std::size_t>(got);
  }
  ClosePath(fd);  // Read-only /proc file: nothing to lose if close fails.
  std::size_t last_parenthesis = length;
  for (std::size_t i = 0; i < length; ++i) {
    // Only the `length` bytes read are looked at; clearing the buffer first
    // would cost a memset before main().
    // NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult)
    if (buffer[i] == ')') last_parenthesis = i;
  }
  if (last_parenthesis == length) return -1;
  buffer[length] = '\0';
  const char* cursor = buffer + last_parenthesis;
  for (int field = 2; *cursor != '\0'; ++cursor) {
    if (*cursor != ' ' || ++field != 20) continue;
    long threads = 0;
    for (++cursor; *cursor >= '0' && *cursor <= '9'; ++cursor) {
      threads = threads * 10 + (*cursor - '0');
    }
    return threads > 0 ? threads : -1;
  }
  return -1;
}

// The slots of gons_order and gons_credentials in the tables below;
// namespace types use their index.
constexpr int kOrderSlot = kNumNamespaceTypes;
constexpr int kCredentialsSlot = kNumNamespaceTypes + 1;
constexpr int kLastSlot = kCredentialsSlot;

const char* VariableName(int slot) {
  if (slot == kOrderSlot) return kOrderVariable;
  if (slot == kCredentialsSlot) return kCredentialsVariable;
  return kNamespaceTypes[slot].variable;
}

// Returns the slot of the switcher's variable that `entry` ("NAME=VALUE")
// sets, pointing `value` at its value; -1 for any other entry.
int MatchVariable(const char* entry, const char** value) {
  if (SkipPrefix(entry, kVariablePrefix) == nullptr) return -1;
  for (int slot = 0; slot <= kLastSlot; ++slot) {
    if (const char* found = EntryValue(entry, VariableName(slot))) {
      *value = found;
      return slot;
    }
  }
  return -1;
}

// Records the switcher's variables and removes every entry of them from
// `envp` by moving the remaining entries up. Where a variable appears twice,
// the first wins, as with getenv(). The strings themselves are not touched:
// they live in the initial process stack for the whole life of the process,
// so the record may point into them.
void ConsumeVariables(char** envp, StartupRecord* record) {
  if (envp == nullptr) return;
  bool seen[kLastSlot + 1] = {};
  char** kept = envp;
  for (char** entry = envp; *entry != nullptr; ++entry) {
    const char* value = nullptr;
    const int slot = MatchVariable(*entry, &value);
    if (slot < 0) {
      *kept++ = *entry;
      continue;
    }
    record->variables_present = true;
    if (seen[slot]) continue;
    seen[slot] = true;
    if (slot == kOrderSlot) {
      record->order_text = value;
    } else if (slot == kCredentialsSlot) {
      record->credentials_text = value;
    } else if (*value != '\0') {
      record->namespaces[slot].path = value;
    }
  }
  *kept = nullptr;
}

// Records the failed step. `state` is what the namespace is left in: failed,
// or entered when only the close() after entering it failed.
void Fail(StartupRecord* record, SwitchStep step, int type_index,
          int error_number, NamespaceState state = NamespaceState::kFailed) {
  record->failed_step = step;
  record->failed_type = type_index;
  record->error_number = error_number;
  record->namespaces[type_index].state = state;
}

// Opens the path of `type_index` and checks that it is a namespace of that
// type. Opened O_NONBLOCK so that a path naming a FIFO cannot block start-up
// forever; O_CLOEXEC so that no descriptor into a namespace ever reaches a
// program this one executes.
bool OpenNamespace(const SystemCalls& calls, int type_index,
                   Descriptors* descriptors, StartupRecord* record) {
  NamespaceRecord& entry = record->namespaces[type_index];
  const int fd =
      calls.open(entry.path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    Fail(record, SwitchStep::kOpen, type_index, -fd);
    return false;
  }
  descriptors->fd[type_index] = fd;
  entry.opened = true;
  const int actual_type = calls.get_namespace_type(fd);
  if (actual_type < 0) {
    Fail(record, SwitchStep::kCheckType, type_index, -actual_type);
    return false;
  }
  if (actual_type != kNamespaceTypes[type_index].clone_flag) {
    Fail(record, SwitchStep::kCheckType, type_index, 0);
    record->actual_type_flag = actual_type;
    return false;
  }
  return true;
}

// Notes what the process could do when setns() refused it, once.
void TakePrivilegeSnapshot(const SystemCalls& calls, StartupRecord* record) {
  PrivilegeSnapshot& snapshot = record->privileges;
  if (snapshot.taken) return;
  snapshot.taken = true;
  snapshot.capabilities_known =
      calls.effective_capabilities(&snapshot.effective_capabilities) == 0;
  const int mode = calls.seccomp_mode();
  snapshot.seccomp_mode = mode < 0 ? -1 : mode;
}

// What one attempt to enter a namespace came to.
enum class Attempt {
  kEntered,
  kRefused,  // setns() failed and the caller may retry it later.
  kStopped,  // A failure is recorded: the switcher stops.
};

// Opens the path of `type_index` when it is not open yet, and enters it.
// With `may_defer`, a refused setns() keeps the descriptor open for a later
// retry and records the error as deferred instead of failing.
Attempt Enter(const SystemCalls& calls, int type_index, SwitchPass pass,
              bool may_defer, Descriptors* descriptors, StartupRecord* record) {
  NamespaceRecord& entry = record->namespaces[type_index];
  if (descriptors->fd[type_index] < 0 &&
      !OpenNamespace(calls, type_index, descriptors, record)) {
    return Attempt::kStopped;
  }
  if (const int error = -calls.setns(descriptors->fd[type_index],
                                     kNamespaceTypes[type_index].clone_flag);
      error != 0) {
    if (may_defer) {
      entry.deferred = true;
      entry.deferred_error = error;
      return Attempt::kRefused;
    }
    if (error == EPERM || error == EACCES) TakePrivilegeSnapshot(calls, record);
    Fail(record, SwitchStep::kEnter, type_index, error);
    return Attempt::kStopped;
  }
  entry.state = NamespaceState::kEntered;
  entry.pass = pass;
  record->entered_sequence[record->entered_count++] = type_index;
  const int fd = descriptors->fd[type_index];
  descriptors->fd[type_index] = -1;
  if (const int error = -calls.close(fd); error != 0) {
    // Linux releases the descriptor even when close() fails; report it,
    // because it means something else is wrong with this process.
    Fail(record, SwitchStep::kClose, type_index, error,
         NamespaceState::kEntered);
    return Attempt::kStopped;
  }
  return Attempt::kEntered;
}

// Opens the `!` paths of all pending steps, before any switch.
bool OpenEarlyPaths(const SystemCalls& calls, Descriptors* descriptors,
                    StartupRecord* record) {
  const ParsedOrder& order = record->order;
  for (int step = 0; step < order.count; ++step) {
    const int type_index = order.steps[step].type_index;
    const NamespaceRecord& entry = record->namespaces[type_index];
    if (entry.state != NamespaceState::kPending || !entry.open_early) continue;
    if (!OpenNamespace(calls, type_index, descriptors, record)) return false;
  }
  return true;
}

// A strict order: each pending step in turn; the first failure stops.
void SwitchInOrder(const SystemCalls& calls, Descriptors* descriptors,
                   StartupRecord* record) {
  const ParsedOrder& order = record->order;
  for (int step = 0; step < order.count; ++step) {
    const int type_index = order.steps[step].type_index;
    if (record->namespaces[type_index].state != NamespaceState::kPending) {
      continue;
    }
    if (Enter(calls, type_index, SwitchPass::kInOrder, false, descriptors,
              record) == Attempt::kStopped) {
      return;
    }
  }
}

// A tolerant order (see order.h): a first pass with the caller's
// privileges, the user switch, then a strict second pass for what was left.
// A failure to open or check a path is never deferred: no privilege the
// user namespace gives changes it.
void SwitchTolerantly(const SystemCalls& calls, Descriptors* descriptors,
                      StartupRecord* record) {
  const ParsedOrder& order = record->order;
  constexpr int kUser = FindNamespaceTypeIndex("user", 4);
  constexpr int kMnt = FindNamespaceTypeIndex("mnt", 3);
  const bool user_pending =
      record->namespaces[kUser].state == NamespaceState::kPending;
  if (!user_pending) {
    SwitchInOrder(calls, descriptors, record);
    return;
  }
  bool mnt_left = false;
  for (int step = 0; step < order.count; ++step) {
    const int type_index = order.steps[step].type_index;
    NamespaceRecord& entry = record->namespaces[type_index];
    if (entry.state != NamespaceState::kPending) continue;
    if (type_index == kUser) {
      // Opened at its place in the order, entered after this pass.
      if (descriptors->fd[kUser] < 0 &&
          !OpenNamespace(calls, kUser, descriptors, record)) {
        return;
      }
      continue;
    }
    if (mnt_left && !entry.open_early) {
      entry.deferred = true;  // Its path must resolve after the mount switch.
      continue;
    }
    const Attempt attempt = Enter(calls, type_index, SwitchPass::kBeforeUser,
                                  true, descriptors, record);
    if (attempt == Attempt::kStopped) return;
    if (attempt == Attempt::kRefused && type_index == kMnt) mnt_left = true;
  }
  if (Enter(calls, kUser, SwitchPass::kUser, false, descriptors, record) ==
      Attempt::kStopped) {
    return;
  }
  for (int step = 0; step < order.count; ++step) {
    const int type_index = order.steps[step].type_index;
    if (record->namespaces[type_index].state != NamespaceState::kPending) {
      continue;
    }
    if (Enter(calls, type_index, SwitchPass::kAfterUser, false, descriptors,
              record) == Attempt::kStopped) {
      return;
    }
  }
}

// True when `text` equals `expected`; plain loop, no libc (see above).
bool Equals(const char* text, const char* expected) {
  const char* end = SkipPrefix(text, expected);
  return end != nullptr && *end == '\0';
}

// gons_credentials=root, after the user namespace was entered: the order of
// nsenter, groups first, because setgid() and setuid() can give up the
// capability that setgroups() needs. The process holds every capability in
// the namespace it just entered, so an EPERM from setgroups() can only mean
// that the namespace denies it (/proc/PID/setgroups is "deny"), which
// nsenter also tolerates; the process then keeps its groups.
void BecomeRoot(const SystemCalls& calls, StartupRecord* record) {
  constexpr int kUser = FindNamespaceTypeIndex("user", 4);
  const auto fail = [record](CredentialsCall call, int error) {
    record->failed_step = SwitchStep::kCredentials;
    record->failed_type = kUser;
    record->failed_credentials_call = call;
    record->error_number = error;
  };
  if (const int error = -calls.drop_supplementary_groups(); error == EPERM) {
    record->setgroups_denied = true;
  } else if (error != 0) {
    return fail(CredentialsCall::kSetgroups, error);
  }
  if (const int error = -calls.set_gid(0); error != 0) {
    return fail(CredentialsCall::kSetgid, error);
  }
  if (const int error = -calls.set_uid(0); error != 0) {
    return fail(CredentialsCall::kSetuid, error);
  }
  record->became_root = true;
}

}  // namespace

const SystemCalls kSystemCalls = {
    OpenPath,
    GetNamespaceType,
    EnterNamespace,
    ClosePath,
    CountThreads,
    IsSecureExecution,
    EffectiveCapabilities,
    SeccompMode,
    DropSupplementaryGroups,
    SetGid,
    SetUid,
};

}  // namespace gons::internal
