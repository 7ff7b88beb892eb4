#!/bin/bash
# The gons demo (first version): makes throwaway user, uts and net
# namespaces with unshare, shows a program linked with //gons entering them
# at start-up, shows an error status, and removes everything again.
#
# Run it with `tools/bazel run //tools:demo`; it works as root and rootless.
set -euo pipefail

probe="${RUNFILES_DIR:-$0.runfiles}/gons/tools/probe/probe"
[[ -x "${probe}" ]] || probe="$(dirname "$0")/probe/probe"

work="$(mktemp -d)"
holder=""
cleanup() {
  if [[ -n "${holder}" ]]; then
    echo >"${work}/release"  # lets the holder finish; its namespaces go too
    wait "${holder}" 2>/dev/null || true
  fi
  rm -rf "${work}"
}
trap cleanup EXIT

# Pick out a few fields of the probe's JSON for the narrative.
field() { grep -o "\"$1\":[^,}]*" | head -1 | cut -d: -f2- | tr -d '"'; }
show() {
  local json="$1"
  printf '  hostname: %s   net namespace: %s   uts namespace: %s   uid: %s\n' \
    "$(field hostname <<<"${json}")" "$(field net <<<"${json}")" \
    "$(field uts <<<"${json}")" "$(field uid <<<"${json}")"
  printf '  gons::Status(): %s %s\n' "$(field code <<<"${json}")" \
    "$(sed -n 's/.*"message":"\(.*\)"},"report".*/\1/p' <<<"${json}" |
       sed 's/\\"/"/g')"
}

echo "== 1. Throwaway namespaces"
mkfifo "${work}/ready" "${work}/release"
unshare --user --map-root-user --uts --net sh -c \
  'hostname gons-demo; echo $$ >"$1/ready"; read line <"$1/release"' \
  holder "${work}" &
holder=$!
read -r pid <"${work}/ready"
echo "  unshare made user, uts and net namespaces, held by PID ${pid}"
echo "  (host name inside: gons-demo)"

echo
echo "== 2. The probe, linked with //gons, started without gons_* variables"
show "$("${probe}")"

echo
echo "== 3. The same probe with gons_user, gons_uts and gons_net set"
echo "  gons_user=/proc/${pid}/ns/user gons_uts=/proc/${pid}/ns/uts" \
     "gons_net=/proc/${pid}/ns/net probe"
show "$(gons_user=/proc/${pid}/ns/user gons_uts=/proc/${pid}/ns/uts \
        gons_net=/proc/${pid}/ns/net "${probe}")"
echo "  The switch happened in .preinit_array, before main() and before any"
echo "  static constructor; the variables were removed from the environment."

echo
echo "== 4. An error is kept, not printed: a path that is not a namespace"
echo "  gons_net=/etc/passwd probe"
show "$(gons_net=/etc/passwd "${probe}" || true)"

echo
echo "== 5. Clean-up: the holder exits, and its namespaces disappear with it"
