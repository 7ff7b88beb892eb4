#!/bin/bash
# Copyright 2026 The gons Authors.
# SPDX-License-Identifier: Apache-2.0
#
# The gons demo: `tools/bazel run //tools:demo`. It makes throwaway
# namespaces with unshare and bwrap, shows a program linked with //gons (the
# probe) entering them before main(), shows the `!` early-open rule and an
# error status, runs nsinspect on them, and removes everything again, also
# when a step fails. It works as root and as an ordinary user: every
# namespace hangs off a user namespace of the demo's own.
set -euo pipefail
export PATH="${PATH}:/usr/sbin:/sbin"

# The programs: from Bazel's runfiles (whose folder for this repository is
# `gons` in WORKSPACE mode and `_main` under Bzlmod), or next to this script.
tool() {
  local runfiles="${RUNFILES_DIR:-$0.runfiles}" workspace runfile
  for workspace in gons _main; do
    runfile="${runfiles}/${workspace}/tools/$1"
    if [[ -x "${runfile}" ]]; then echo "${runfile}"; return; fi
  done
  echo "$(dirname "$0")/$1"
}
probe="$(tool probe/probe)"
nsinspect="$(tool nsinspect/nsinspect)"
for program in "${probe}" "${nsinspect}"; do
  [[ -x "${program}" ]] || { echo "demo: ${program} is missing" >&2; exit 1; }
done
for program in unshare bwrap ip ipcmk mount; do
  command -v "${program}" >/dev/null || {
    echo "demo: ${program} is missing; tools/bazel installs it" \
         "(Debian: util-linux, bubblewrap, iproute2)" >&2
    exit 1
  }
done

work="$(mktemp -d /tmp/gons-demo-XXXXXX)"
holders=()  # Killed at the end.
waiters=()  # Exit by themselves once a holder is gone (bwrap).
cleanup() {
  local pid
  for pid in "${holders[@]}"; do kill -KILL "${pid}" 2>/dev/null || true; done
  # Reaps our children; bwrap reaps its own child before it exits.
  for pid in "${holders[@]}" "${waiters[@]}"; do
    { wait "${pid}"; } 2>/dev/null || true
  done
  holders=()
  waiters=()
  rm -rf "${work}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Prints what refused this user's namespaces and why, for the demo's last
# line on a restricted host: the refused call with unshare's own message,
# then the setting or filter that explains it.
refusal_cause() {
  local error cause="" setting
  if error="$(unshare --user --map-root-user --mount --net true 2>&1)"; then
    echo "a launcher failed although unshare(CLONE_NEWUSER) works here"
    return
  fi
  # The error tells the causes apart: the limit gives ENOSPC, the others
  # EPERM; a seccomp filter answers before the kernel's own checks.
  if [[ "${error}" == *"No space left on device"* ]]; then
    cause="user.max_user_namespaces=$(cat /proc/sys/user/max_user_namespaces)"
  elif grep -q '^Seccomp:.2' /proc/self/status &&
       [[ "${error}" == *"Operation not permitted"* ]]; then
    cause="a seccomp filter that refuses namespace calls (Seccomp: 2 in"
    cause+=" /proc/self/status; a container runtime's default profile)"
  elif [[ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null)" == 0 ]] &&
       (( EUID != 0 )); then
    cause="kernel.unprivileged_userns_clone=0"
  elif setting="/proc/sys/kernel/apparmor_restrict_unprivileged_userns" &&
       [[ "$(cat "${setting}" 2>/dev/null)" == 1 ]] && (( EUID != 0 )); then
    cause="AppArmor's restriction (kernel.apparmor_restrict_unprivileged_userns=1)"
  else
    cause="no restricting sysctl, AppArmor setting or seccomp filter found"
  fi
  echo "unshare(CLONE_NEWUSER) was refused (${error}), by ${cause}"
}

# start_holder LAUNCHER...: runs LAUNCHER... /bin/sh -c SCRIPT, where SCRIPT
# is ${setup} followed by "say ready, then wait until killed". Sets
# holder_pid to the launcher's PID once the setup is done; fails if the
# launcher exits instead.
start_holder() {
  local from_holder line
  exec {from_holder}< <(exec "$@" /bin/sh -c \
    "set -e; ${setup}"$'\n''echo ready; exec sleep infinity >/dev/null')
  holder_pid=$!
  holders+=("${holder_pid}")
  if ! read -r line <&"${from_holder}" || [[ "${line}" != ready ]]; then
    echo "demo: \`$1\` did not get its namespaces ready: $(refusal_cause)" >&2
    exit 1
  fi
  exec {from_holder}<&-
}

# Fields of the probe's one-line JSON.
field() { grep -o "\"$1\":[^,}]*" | head -1 | cut -d: -f2- | tr -d '"'; }
status_of() {
  printf '%s' "$(field code <<<"$1")"
  sed -n 's/.*"message":"\(.*\)"},"report".*/\1/p' <<<"$1" |
    sed 's/\\"/"/g; s/^./: &/'
}
report_of() {
  grep -o '"type":"[a-z]*","path":"[^"]*","open_early":[a-z]*,"opened":[a-z]*,"outcome":"[a-z_]*"' <<<"$1" |
    sed 's/"type":"\([a-z]*\)".*"open_early":\([a-z]*\).*"outcome":"\([a-z_]*\)"/\2\1 \3/; s/^true/!/; s/^false//' |
    paste -sd, - | sed 's/,/, /g'
}
namespace_id() { stat -L -c %i "$1"; }

# compare NAME HOLDER_PID BEFORE_JSON AFTER_JSON TYPE...: a table of the
# probe's namespace ids before and after, next to the holder's.
compare() {
  local name="$1" pid="$2" before="$3" after="$4" type
  shift 4
  printf '    %-10s %-12s %-12s %s\n' namespace before after "${name}'s"
  for type in "$@"; do
    printf '    %-10s %-12s %-12s %s\n' "${type}" \
      "$(field "${type}" <<<"${before}")" "$(field "${type}" <<<"${after}")" \
      "$(namespace_id "/proc/${pid}/ns/${type}")"
  done
}

# indent TEXT: TEXT folded to the page, continuation lines indented deeper.
indent() {
  fold -s -w 74 <<<"$1" | sed 's/ *$//; 1s/^/    /; 2,$s/^/      /'
}
section() { printf '\n== %s\n%s\n' "$1" "$2" | fold -s -w 78 | sed 's/ *$//'; }

echo "gons demo: a program linked with //gons enters existing namespaces" \
     "before main()."

section "1. Throwaway namespaces" \
  "unshare and bwrap each make a set of namespaces with known content, held \
open by a process that waits in them until the demo ends."
setup='hostname gons-demo
ip link add gons0 type veth peer name gons1
ip addr add 10.200.0.1/24 dev gons0
ip link set gons0 up
ip link set gons1 up
mount -t tmpfs gons-demo-tmpfs /mnt
ipcmk -M 4096 >/dev/null'
start_holder unshare --user --map-root-user --mount --uts --net --ipc
unshare_pid="${holder_pid}"
echo "  unshare, holder PID ${unshare_pid}: user, mount, uts, net and IPC" \
     "namespaces with"
echo "    host name gons-demo, a veth pair gons0/gons1 with 10.200.0.1/24 on" \
     "gons0,"
echo "    a tmpfs on /mnt and a System V shared memory segment"
setup='ip addr add 10.200.1.1/24 dev lo
ip link set lo up'
start_holder bwrap --unshare-user --unshare-uts --unshare-net \
  --die-with-parent --uid 0 --cap-add CAP_NET_ADMIN --hostname gons-bwrap \
  --dev-bind / / --tmpfs /mnt --info-fd 3 3>"${work}/bwrap-info.json"
# bwrap itself stays outside; its child is in the namespaces.
bwrap_pid="$(grep -o '"child-pid": *[0-9]*' "${work}/bwrap-info.json" |
             grep -o '[0-9]*$')"
unset 'holders[-1]'
holders+=("${bwrap_pid}")
waiters+=("${holder_pid}")
echo "  bwrap, holder PID ${bwrap_pid}: user, mount, uts and net namespaces" \
     "with"
echo "    host name gons-bwrap, 10.200.1.1/24 on lo and a tmpfs on /mnt"

section "2. The probe, started plainly" \
  "The probe is a small program linked with //gons that prints where it \
runs. Without gons_* variables it stays in the demo's own namespaces."
before="$("${probe}")"
echo "  \$ probe"
echo "    host name: $(field hostname <<<"${before}")   gons::Status():" \
     "$(status_of "${before}")"

section "3. The probe entering unshare's namespaces" \
  "With gons_* variables set, //gons enters the namespaces in \
.preinit_array, before main() and before any static constructor could \
start a thread: in the default order, each path opened before the first \
switch (!). Compare the namespace ids:"
variables=()
for type in user mnt net uts ipc; do
  variables+=("gons_${type}=/proc/${unshare_pid}/ns/${type}")
done
echo "  \$ ${variables[*]} probe"
after="$(env "${variables[@]}" "${probe}")"
compare unshare "${unshare_pid}" "${before}" "${after}" user mnt net uts ipc
echo "    host name: $(field hostname <<<"${after}")   uid: $(field uid \
<<<"${after}")   gons::Status(): $(status_of "${after}")"
echo "    switches: $(report_of "${after}")"

section "4. The probe entering bwrap's namespaces" \
  "The same program and the same variables work with any namespace file, \
here those of bwrap's process:"
variables=()
for type in user mnt net uts; do
  variables+=("gons_${type}=/proc/${bwrap_pid}/ns/${type}")
done
echo "  \$ ${variables[*]} probe"
after="$(env "${variables[@]}" "${probe}")"
compare bwrap "${bwrap_pid}" "${before}" "${after}" user mnt net uts
echo "    host name: $(field hostname <<<"${after}")   gons::Status():" \
     "$(status_of "${after}")"

section "5. '!' opens a path before the first switch" \
  "A net namespace file that exists only in the original mount namespace \
(bound on a private tmpfs) is found with '!net', opened before the mnt \
switch, and not found with plain 'net', opened after it:"
# In a mount namespace of the demo's own, so that the tmpfs and the bind
# mount vanish with it; the holder's mount namespace is copied before them.
early_late="$(unshare --user --map-root-user --mount /bin/sh -ec '
  private="$1/private"; mkdir "$private"; mkfifo "$1/net-ready"
  unshare --mount --net /bin/sh -c "echo \$\$ >\"$1/net-ready\"; exec sleep infinity" &
  read holder <"$1/net-ready"
  trap "kill -KILL $holder; { wait $holder; } 2>/dev/null || :" EXIT
  mount -t tmpfs gons-private "$private"
  touch "$private/net"
  mount --bind "/proc/$holder/ns/net" "$private/net"
  gons_order="mnt,!net" gons_mnt="/proc/$holder/ns/mnt" \
    gons_net="$private/net" "$2" || true
  gons_order="mnt,net" gons_mnt="/proc/$holder/ns/mnt" \
    gons_net="$private/net" "$2" || true
' early-open "${work}" "${probe}")"
early="$(sed -n 1p <<<"${early_late}")"
late="$(sed -n 2p <<<"${early_late}")"
echo "  \$ gons_order='mnt,!net' gons_mnt=.../ns/mnt gons_net=${work}/private/net probe"
echo "    gons::Status(): $(status_of "${early}")   switches:" \
     "$(report_of "${early}")"
echo "  \$ gons_order='mnt,net' gons_mnt=.../ns/mnt gons_net=${work}/private/net probe"
indent "gons::Status(): $(status_of "${late}")"
echo "    switches: $(report_of "${late}")"

section "6. Errors are kept, not printed" \
  "//gons never writes to stderr and never stops the program: \
gons::Status() says what failed, where and why, with a code that carries \
meaning."
for variable in gons_net=/etc/passwd "gons_uts=/proc/999999999/ns/uts"; do
  output="$(env "${variable}" "${probe}" || true)"
  echo "  \$ ${variable} probe"
  indent "gons::Status(): $(status_of "${output}")"
done

section "7. nsinspect: what a process sees in there" \
  "nsinspect (built on //reexec) re-executes itself once per target; each \
child enters that target's namespaces at start-up and reports back as JSON. \
Targets are inspected concurrently; a bad one gets one line on stderr. \
(Mounts other than / and /mnt are left out here; --json gives everything.)"
echo "  \$ nsinspect --pid ${unshare_pid} --pid ${bwrap_pid} --pid 999999999"
set +e
"${nsinspect}" --pid "${unshare_pid}" --pid "${bwrap_pid}" --pid 999999999 \
  >"${work}/nsinspect.out" 2>"${work}/nsinspect.err"
nsinspect_exit=$?
set -e
awk '
  /^mounts:/ { in_mounts = 1; print; next }
  in_mounts && /^  MOUNT POINT/ { print; next }
  in_mounts && /^  [^ ]/ {
    if ($1 == "/" || $1 == "/mnt") print; else left_out++
    next
  }
  { in_mounts = 0; print }
' "${work}/nsinspect.out" | sed '/./s/^/  /'
sed 's/^/  /' "${work}/nsinspect.err"
echo "  (exit status ${nsinspect_exit}: one target could not be inspected)"
[[ "${nsinspect_exit}" == 1 ]]

section "8. Clean-up" \
  "The holders are killed and reaped; their namespaces vanish with them."
cleanup
for pid in "${unshare_pid}" "${bwrap_pid}"; do
  if [[ -e "/proc/${pid}" ]]; then
    echo "demo: process ${pid} is still there" >&2
    exit 1
  fi
done
[[ ! -e "${work}" ]]
echo "  processes ${unshare_pid} and ${bwrap_pid} are gone, and so is" \
     "${work}."
