#!/bin/bash
# Linking the startup hook into a shared object must fail at build time with
# the linker's reason, never yield a library whose hook silently never runs.
# As a control, the same sources link into an executable.
set -euo pipefail

sources=(gons/startup_hook.cc gons/switcher.cc gons/order.cc)
out="${TEST_TMPDIR}"
compiler=(g++ -std=c++17 -I. -fPIC)

"${compiler[@]}" "${sources[@]}" -x c++ - -o "${out}/executable" \
  <<<'int main() { return 0; }'
"${out}/executable"

if "${compiler[@]}" -shared "${sources[@]}" -o "${out}/library.so" \
    2>"${out}/link.log"; then
  echo "FAIL: the startup hook linked into a shared object" >&2
  exit 1
fi
if ! grep -q '.preinit_array section is not allowed in DSO' "${out}/link.log"; then
  echo "FAIL: the link failed for another reason:" >&2
  cat "${out}/link.log" >&2
  exit 1
fi
echo "PASS: the linker refuses the startup hook in a shared object"
