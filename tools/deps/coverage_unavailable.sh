#!/bin/sh
# Stands in for Bazel's coverage tools until gons has its own offline ones.
echo "gons: bazel coverage is not supported by this workspace yet" >&2
exit 1
