#!/bin/bash
# gons is built with this repository's own Abseil: that Abseil is shared
# libraries, so Debian's static archives (what gons declares when not told)
# would show as Abseil functions the program defines itself. Inline
# functions are weak symbols and do not count.
set -euo pipefail
consumer=./consumer

"${consumer}" | tee /dev/stderr | grep -q 'switcher: OK'

defined="$(nm -C --defined-only "${consumer}" | grep -E ' [TDB] absl::' || true)"
if [[ -n "${defined}" ]]; then
  echo "FAIL: the program defines Abseil's functions itself:" >&2
  head -5 <<<"${defined}" >&2
  exit 1
fi
ldd "${consumer}" | grep -q 'libabsl_status\.so' \
  || { echo "FAIL: the program does not load its own Abseil" >&2; exit 1; }
echo "PASS"
