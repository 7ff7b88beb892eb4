# Copyright 2026 The gons Authors.
# SPDX-License-Identifier: Apache-2.0
"""Link options for programs that re-execute themselves often.

A reexec round trip is mostly the child's start, and a C++ program's start
is mostly the dynamic loader relocating libstdc++.so and running its
initialization: on the benchmark machine about 1 ms of a 2 ms round trip.
Linking libstdc++ and libgcc statically removes that; the program grows by
a few hundred KiB.

Usage, in a BUILD file:

    load("@gons//reexec:fast_start.bzl", "FAST_START_LINKOPTS")

    cc_binary(
        name = "tool",
        srcs = ["tool.cc"],
        linkopts = FAST_START_LINKOPTS,
        deps = ["@gons//reexec"],
    )

For GCC toolchains like Bazel's auto-configured one, which put -lstdc++
after these options: -Bstatic links libstdc++.a first, and --as-needed then
drops the shared libstdc++ it no longer needs. Do not use it in a program
that loads C++ shared libraries of its own (two copies of libstdc++).
"""

FAST_START_LINKOPTS = [
    "-static-libgcc",
    "-Wl,-Bstatic",
    "-lstdc++",
    "-Wl,-Bdynamic",
    "-Wl,--as-needed",
]
