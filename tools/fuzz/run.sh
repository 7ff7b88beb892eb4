#!/usr/bin/env bash
# Copyright 2026 The gons Authors.
# SPDX-License-Identifier: Apache-2.0
#
# Fuzzes one of the project's fuzz targets with libFuzzer for a given time.
# The target is the label of its cc_fuzz_test (see fuzz_test.bzl); its
# sources are found with `bazel query` and compiled outside Bazel with
# Debian's clang, -fsanitize=fuzzer,address,undefined, against Debian's
# Abseil. Fuzzing starts from a copy of the checked-in seed corpus, so new
# inputs never land in the tree; to keep a crashing input as a regression
# test, copy it into the seed corpus and fix the bug.
#
# Usage: tools/fuzz/run.sh LABEL SECONDS [LIBFUZZER_FLAG...]
#   e.g. tools/fuzz/run.sh //reexec:json_fuzzer 600 -max_len=65536
#
# Work directory: ${GONS_FUZZ_DIR:-/tmp/gons-fuzz}/NAME/ with the binary,
# corpus/ (seeds and whatever libFuzzer added), artifacts/ (crashes) and
# fuzz.log. The last line printed is the summary:
#   //reexec:json_fuzzer: 1234567 runs in 600 s, 412 inputs in the corpus, 0 crashes
# Exit status: 0 when no crash was found, 1 when one was, 2 on a usage or
# build error.
set -euo pipefail
cd "$(dirname "$0")/../.."

if (( $# < 2 )); then
  sed -n '5,22p' "$0" >&2
  exit 2
fi
readonly label="$1" seconds="$2"
shift 2
readonly package="${label%%:*}" name="${label##*:}"
readonly work="${GONS_FUZZ_DIR:-/tmp/gons-fuzz}/${name}"

for tool in clang++ pkg-config; do
  if ! command -v "${tool}" >/dev/null; then
    echo "run.sh: ${tool} is missing: apt-get install clang pkg-config" >&2
    exit 2
  fi
done

# The target's own sources: every .cc of this repository it depends on,
# except the corpus driver, whose main() libFuzzer replaces.
mapfile -t sources < <(
  tools/bazel query --noshow_progress \
    "kind('source file', deps(${label}) except deps(//tools/fuzz:corpus_driver))" |
    sed -n 's|^//\([^:]*\):\(.*\.cc\)$|\1/\2|p' | sed 's|^/||')
corpus="$(tools/bazel query --noshow_progress --output=build "${label}" |
  sed -n 's/^ *args = \["\(.*\)"\],$/\1/p')"
if (( ${#sources[@]} == 0 )) || [[ ! -d "${corpus}" ]]; then
  echo "run.sh: ${label} is not a cc_fuzz_test with a seed corpus" >&2
  exit 2
fi

mkdir -p "${work}/corpus" "${work}/artifacts"
cp -n "${corpus}"/* "${work}/corpus/" 2>/dev/null || true
echo "run.sh: building ${label} from ${sources[*]}" >&2
# shellcheck disable=SC2046  # pkg-config prints one word per flag.
clang++ -std=c++17 -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -fsanitize-recover=pointer-overflow \
  -DRAPIDJSON_HAS_STDSTRING=1 -I. "${sources[@]}" -o "${work}/${name}" \
  $(pkg-config --libs absl_status absl_statusor absl_strings absl_str_format)

echo "run.sh: fuzzing ${label} for ${seconds} s in ${work}" >&2
status=0
# Only a recoverable check can be suppressed; halt_on_error still stops at
# the first report that is not.
UBSAN_OPTIONS="suppressions=tools/fuzz/ubsan_suppressions.txt:halt_on_error=1:print_stacktrace=1" \
"${work}/${name}" -max_total_time="${seconds}" -print_final_stats=1 \
  -timeout=10 -rss_limit_mb=4096 -artifact_prefix="${work}/artifacts/" \
  "$@" "${work}/corpus" >"${work}/fuzz.log" 2>&1 || status=$?

runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "${work}/fuzz.log")"
inputs="$(find "${work}/corpus" -type f | wc -l)"
crashes="$(find "${work}/artifacts" -type f | wc -l)"
if (( status != 0 && crashes == 0 )); then
  tail -20 "${work}/fuzz.log" >&2
  echo "run.sh: libFuzzer failed (status ${status}); see ${work}/fuzz.log" >&2
  exit 2
fi
find "${work}/artifacts" -type f -printf 'run.sh: crash input: %p\n' >&2
echo "${label}: ${runs:-0} runs in ${seconds} s, ${inputs} inputs in the" \
     "corpus, ${crashes} crashes"
(( crashes == 0 ))
