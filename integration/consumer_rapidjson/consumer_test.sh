#!/bin/bash
# The program and gons agree on RapidJSON: every check of the program holds.
set -euo pipefail
./consumer
echo "PASS"
