// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: gons.h
// -----------------------------------------------------------------------------
//
// gons enters Linux namespaces that already exist, at program start-up,
// before `main()` and before any static initializer that might start a
// thread. The user, mount and time namespaces can only be entered by a
// single-threaded process, which a C++ program stops being as soon as any
// initializer starts a thread; linking the `//gons` target into an
// executable installs a `.preinit_array` hook that runs first of all.
//
// The namespaces are named by environment variables, each holding the path of
// a namespace (`/proc/PID/ns/TYPE`, `/run/netns/NAME`, a bind mount of one):
// `gons_user`, `gons_mnt`, `gons_cgroup`, `gons_ipc`, `gons_net`, `gons_pid`,
// `gons_uts` and `gons_time` (see gons/environment.h). `gons_order` chooses
// the order and which paths are opened before the first switch (`!type`);
// its default is `tolerant:!user,!mnt,!cgroup,!ipc,!net,!pid,!uts,!time`:
// every path opened first, then everything the caller's privileges allow
// entered, then the user namespace, then the rest (as util-linux nsenter and
// runc join them). An explicit order without `tolerant:` is strict: in that
// order, stopping at the first failure (see gons/order.h). After a user
// switch the process keeps its uid and gids (unmapped ones show as 65534);
// `gons_credentials=root` makes it root of that namespace instead, as
// nsenter does (see gons/environment.h). After they
// have been read, these variables are removed from the environment, so child
// processes do not inherit them. A set-user-ID, set-group-ID or
// file-capability program ignores them.
//
// The switcher never prints; it keeps what happened for the program to ask:
//
// Example:
//
//   int main() {
//     if (absl::Status status = gons::Status(); !status.ok()) {
//       std::cerr << status << "\n";
//       return 1;
//     }
//     // Now running inside the namespaces named by the gons_* variables.
//   }
//
//   $ gons_net=/run/netns/blue gons_uts=/proc/4711/ns/uts ./program

#ifndef GONS_GONS_H_
#define GONS_GONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace gons {

// Returns the outcome of the namespace switch done at start-up: OK when every
// namespace that was asked for has been entered, or when none was asked for.
// Otherwise the status names the variable, its path, the failed step and the
// system error, and says which namespaces had been entered before the
// failure (they stay entered, in the order given), which a tolerant order
// left for after the user switch, and which were not attempted; a refused
// setns() gets the likely cause and the fix (an order that works, the
// missing capability, a seccomp filter). These codes, and no others:
//
//   kInvalidArgument     malformed `gons_order`; a `gons_credentials`
//                        other than root, keep or empty; a path that is not
//                        a namespace file (also a FIFO, socket or device:
//                        ENXIO, a symlink loop: ELOOP) or a namespace of
//                        another type; setns() refused with EINVAL (for
//                        example re-entering one's own user namespace);
//                        setgid(0)/setuid(0) refused with EINVAL (uid or
//                        gid 0 unmapped, with gons_credentials=root)
//   kNotFound            the path does not exist (ENOENT, ENOTDIR)
//   kPermissionDenied    EPERM or EACCES when opening or entering
//   kFailedPrecondition  the process was already multi-threaded (also
//                        setns() into a time namespace refused with EUSERS),
//                        or runs with elevated privileges (AT_SECURE), or the
//                        startup hook was not linked into the executable
//   kResourceExhausted   no descriptor or memory left (EMFILE, ENFILE,
//                        ENOMEM)
//   kInternal            any other system error, or a failed close()
//
// Thread-safe; cheap enough to call often (it formats a message only on
// failure).
absl::Status Status();

// What happened to one requested namespace.
enum class SwitchOutcome {
  kEntered,
  kFailed,
  kNotAttempted,  // An earlier step failed, so the switcher stopped first.
};

// When a namespace was entered.
enum class SwitchPass {
  kNone,        // Not entered.
  kInOrder,     // Strict order: at its place in the order.
  kBeforeUser,  // Tolerant order: first pass, with the caller's privileges.
  kUser,        // Tolerant order: the user namespace itself.
  kAfterUser,   // Tolerant order: second pass, after the user switch.
};

// The report on one namespace that was asked for (its variable set and not
// empty, and its type present in the order).
struct NamespaceReport {
  std::string type;      // "net", "mnt", ... as in /proc/PID/ns.
  std::string variable;  // "gons_net", ...
  std::string path;      // The variable's value.
  bool open_early;       // Written as `!type` in the order.
  bool opened;           // Its path was opened (before entering it).
  SwitchOutcome outcome;
  SwitchPass pass = SwitchPass::kNone;
  // Tolerant order: the first pass left it for after the user switch;
  // `deferred_error` is the errno setns() gave then (0 when it waited for
  // the mount switch instead, being a plain type listed after mnt).
  bool deferred = false;
  int deferred_error = 0;
};

// Returns one report per requested namespace, in switching order: the
// order's, or for a tolerant order the order they were entered in, then the
// rest in the order's. Empty when
// nothing was asked for, and also when the switch was refused before any
// namespace was considered (bad order, AT_SECURE): Status() says why.
// Thread-safe.
std::vector<NamespaceReport> Report();

}  // namespace gons

#endif  // GONS_GONS_H_
