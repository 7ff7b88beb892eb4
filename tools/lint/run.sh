#!/usr/bin/env bash
# Checks the project's own C and C++ sources: formatting against the
# repository's .clang-format (Google style) and clang-tidy with the
# repository's .clang-tidy. Prints every finding and exits non-zero when
# there is one. Compiler warnings are checked by the build itself (see
# .bazelrc: the warning policy).
#
# Usage: tools/lint/run.sh [FILE...]   (default: every tracked source file)
#
# clang-tidy needs no compilation database here: every dependency is a
# Debian package in /usr/include, and the project includes its own headers
# relative to the repository root.
set -uo pipefail
cd "$(dirname "$0")/../.."

for tool in clang-format clang-tidy; do
  if ! command -v "${tool}" >/dev/null; then
    echo "tools/lint: ${tool} is missing: apt-get install ${tool}" >&2
    exit 2
  fi
done

if (( $# > 0 )); then
  files=("$@")
else
  # The consumer repositories under integration/ are other workspaces,
  # built with their own defines (one refuses Debian's RapidJSON layout):
  # formatted like the rest, but not compiled here by clang-tidy.
  mapfile -t files < <(git ls-files '*.cc' '*.h' '*.c')
fi

status=0

echo "== clang-format ($(clang-format --version | grep -o 'version [0-9.]*'))"
if ! clang-format --dry-run --Werror "${files[@]}"; then
  echo "tools/lint: formatting differs; run clang-format -i on the files above"
  status=1
fi

# Headers are checked through the sources that include them
# (HeaderFilterRegex in .clang-tidy).
#
# Tests and fuzzers get every check, but the static analyzer (the
# clang-analyzer-* checks) explores at most 20,000 states of each of their
# functions instead of its default 225,000: each GoogleTest assertion
# inlines templates (CmpHelperEQ, StatusOr's accessors, RapidJSON behind the
# codecs) whose paths the analyzer followed to the end of its budget, in
# every test body, 75% of the lint time (json_test.cc 81 s against 11 s;
# the whole run 15 min against 8 on 2 cores). It still inlines them, and
# finds what a test body does wrong early in its paths (a use after
# unique_ptr::reset, a null dereference); the library and tool sources get
# the full budget.
tidy_one() {
  local file="$1" standard analyzer=()
  case "${file}" in
    *.c) standard=-std=gnu11 ;;
    *) standard=-std=c++17 ;;
  esac
  case "${file}" in
    *_test.cc | *_fuzzer.cc)
      analyzer=(--extra-arg=-Xclang --extra-arg=-analyzer-config
                --extra-arg=-Xclang --extra-arg=max-nodes=20000)
      ;;
  esac
  clang-tidy --quiet "${analyzer[@]}" "${file}" -- "${standard}" -I. \
    2>/dev/null
}
export -f tidy_one

echo "== clang-tidy ($(clang-tidy --version | grep -o 'version [0-9.]*'))"
sources=()
for file in "${files[@]}"; do
  [[ "${file}" == *.h || "${file}" == integration/consumer*/* ]] ||
    sources+=("${file}")
done
tidy_log="$(mktemp)"
trap 'rm -f "${tidy_log}"' EXIT
printf '%s\n' "${sources[@]}" |
  xargs -r -P "$(nproc)" -I{} bash -c 'tidy_one "$1"' _ {} >"${tidy_log}"
if grep -qE '(warning|error):' "${tidy_log}"; then
  cat "${tidy_log}"
  echo "tools/lint: clang-tidy findings above"
  status=1
fi

if (( status == 0 )); then
  echo "tools/lint: ${#files[@]} files clean"
fi
exit "${status}"
