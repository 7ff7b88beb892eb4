"""The external repositories of gons, all resolved on this machine.

Nothing is downloaded: Bazel's own helper repositories are small local
stand-ins kept in this folder, and Abseil, GoogleTest and RapidJSON come from
Debian's -dev packages, exposed under their upstream repository names and
labels (`@com_google_absl//absl/status`, `@com_google_googletest//:gtest`,
`@rapidjson`). A repository that already defines one of these names (for
example real Abseil built from source) keeps its own: each is declared only
when missing.

Usage, in a WORKSPACE:

    local_repository(name = "gons", path = "/path/to/gons")
    load("@gons//tools/deps:repositories.bzl", "gons_dependencies")
    gons_dependencies()
"""

_DEBIAN_LIBDIR = "/usr/lib/x86_64-linux-gnu"

def _files_repository_impl(rctx):
    for label, destination in rctx.attr.files.items():
        rctx.symlink(label, destination)

# A repository made of files of this one, each placed at the given path.
_files_repository = repository_rule(
    implementation = _files_repository_impl,
    attrs = {"files": attr.label_keyed_string_dict(allow_files = True)},
    local = True,
)

def _require(rctx, path, package):
    if not rctx.path(path).exists:
        fail("%s is missing: install Debian's %s package (tools/bazel does it)" %
             (path, package))

# Upstream Abseil's public labels, as package -> {target: pkg-config module}.
# Only these are public; every module exists internally for the link graph.
_ABSEIL_PUBLIC_TARGETS = {
    "absl/algorithm": {"algorithm": "algorithm", "container": "algorithm_container"},
    "absl/base": {"base": "base", "core_headers": "core_headers", "log_severity": "log_severity"},
    "absl/cleanup": {"cleanup": "cleanup"},
    "absl/container": {
        "btree": "btree",
        "fixed_array": "fixed_array",
        "flat_hash_map": "flat_hash_map",
        "flat_hash_set": "flat_hash_set",
        "inlined_vector": "inlined_vector",
        "node_hash_map": "node_hash_map",
        "node_hash_set": "node_hash_set",
    },
    "absl/debugging": {
        "failure_signal_handler": "failure_signal_handler",
        "stacktrace": "stacktrace",
        "symbolize": "symbolize",
    },
    "absl/flags": {"flag": "flags", "parse": "flags_parse", "usage": "flags_usage"},
    "absl/functional": {
        "any_invocable": "any_invocable",
        "bind_front": "bind_front",
        "function_ref": "function_ref",
    },
    "absl/hash": {"hash": "hash"},
    "absl/memory": {"memory": "memory"},
    "absl/meta": {"type_traits": "type_traits"},
    "absl/numeric": {"bits": "bits", "int128": "int128"},
    "absl/random": {"random": "random_random", "distributions": "random_distributions"},
    "absl/status": {"status": "status", "statusor": "statusor"},
    "absl/strings": {
        "cord": "cord",
        "str_format": "str_format",
        "strings": "strings",
    },
    "absl/synchronization": {"synchronization": "synchronization"},
    "absl/time": {"time": "time"},
    "absl/types": {
        "any": "any",
        "optional": "optional",
        "span": "span",
        "variant": "variant",
    },
    "absl/utility": {"utility": "utility"},
}

def _parse_pc(text):
    """Returns (required modules, Abseil library names, other link flags).

    The other link flags keep their order: Debian brackets -latomic with
    -Wl,--push-state,--as-needed ... -Wl,--pop-state so that it is linked only
    where needed (never on x86-64); moving it out of the bracket would make
    every binary load libatomic.so at start.
    """
    requires, libraries, flags = [], [], []
    for line in text.splitlines():
        if line.startswith("Requires:"):
            for entry in line[len("Requires:"):].split(","):
                name = entry.strip().split(" ")[0]
                if name:
                    requires.append(name)
        elif line.startswith("Libs:"):
            for flag in line[len("Libs:"):].split(" "):
                if flag.startswith("-labsl_"):
                    libraries.append(flag[2:])
                elif flag and not flag.startswith("-L"):
                    flags.append(flag)
    return requires, libraries, flags

def _debian_abseil_impl(rctx):
    libdir = rctx.attr.libdir
    _require(rctx, "/usr/include/absl/base/config.h", "libabsl-dev")
    pkgconfig = rctx.path(libdir + "/pkgconfig")
    _require(rctx, libdir + "/pkgconfig/absl_base.pc", "libabsl-dev")

    # One internal target per pkg-config module, linking Debian's static
    # archive. Static on purpose: a re-executed child starts measurably faster
    # without loading and relocating a score of shared libraries.
    internal = ['# Generated from Debian\'s absl_*.pc files.\n',
                'package(default_visibility = ["//:__subpackages__"])\n']
    for pc in pkgconfig.readdir():
        name = pc.basename
        if not (name.startswith("absl_") and name.endswith(".pc")):
            continue
        module = name[len("absl_"):-len(".pc")]
        requires, libraries, flags = _parse_pc(rctx.read(pc))
        archives = []
        for library in libraries:
            archive = "lib%s.a" % library
            _require(rctx, "%s/%s" % (libdir, archive), "libabsl-dev")
            rctx.symlink("%s/%s" % (libdir, archive), "internal/" + archive)
            archives.append(archive)
        internal.append("cc_library(name = %r, srcs = %r, deps = %r, linkopts = %r)\n" % (
            module,
            archives,
            # Some Debian releases list a module among its own requirements.
            [":" + r[len("absl_"):] for r in requires
             if r.startswith("absl_") and r != "absl_" + module],
            flags,
        ))
    rctx.file("internal/BUILD.bazel", "\n".join(internal))

    for package, targets in _ABSEIL_PUBLIC_TARGETS.items():
        lines = ['package(default_visibility = ["//visibility:public"])\n']
        for target, module in targets.items():
            lines.append("alias(name = %r, actual = %r)\n" % (target, "//internal:" + module))
        rctx.file(package + "/BUILD.bazel", "\n".join(lines))
    rctx.file("BUILD.bazel", "# Abseil from Debian's libabsl-dev; see absl/.\n")
    rctx.file("WORKSPACE", 'workspace(name = "com_google_absl")\n')

_debian_abseil = repository_rule(
    implementation = _debian_abseil_impl,
    attrs = {"libdir": attr.string(default = _DEBIAN_LIBDIR)},
    local = True,
)

def _debian_googletest_impl(rctx):
    libdir = rctx.attr.libdir
    _require(rctx, "/usr/include/gtest/gtest.h", "libgtest-dev")
    _require(rctx, "/usr/include/gmock/gmock.h", "libgmock-dev")
    for archive in ["libgtest.a", "libgtest_main.a", "libgmock.a"]:
        _require(rctx, "%s/%s" % (libdir, archive), "libgtest-dev and libgmock-dev")
        rctx.symlink("%s/%s" % (libdir, archive), archive)
    rctx.file("WORKSPACE", 'workspace(name = "com_google_googletest")\n')
    rctx.file("BUILD.bazel", """# GoogleTest and GoogleMock from Debian's static archives.
package(default_visibility = ["//visibility:public"])

# Upstream's :gtest includes GoogleMock.
cc_library(
    name = "gtest",
    srcs = ["libgmock.a"],
    deps = [":gtest_only"],
)

cc_library(
    name = "gtest_only",
    srcs = ["libgtest.a"],
    linkopts = ["-pthread"],
    visibility = ["//visibility:private"],
)

cc_library(
    name = "gtest_main",
    srcs = ["libgtest_main.a"],
    deps = [":gtest"],
)
""")

_debian_googletest = repository_rule(
    implementation = _debian_googletest_impl,
    attrs = {"libdir": attr.string(default = _DEBIAN_LIBDIR)},
    local = True,
)

def _debian_rapidjson_impl(rctx):
    _require(rctx, "/usr/include/rapidjson/rapidjson.h", "rapidjson-dev")
    rctx.file("WORKSPACE", 'workspace(name = "rapidjson")\n')
    rctx.file("BUILD.bazel", """# RapidJSON from Debian's rapidjson-dev: headers in /usr/include.
package(default_visibility = ["//visibility:public"])

cc_library(
    name = "rapidjson",
    defines = ["RAPIDJSON_HAS_STDSTRING=1"],
)
""")

_debian_rapidjson = repository_rule(implementation = _debian_rapidjson_impl, local = True)

def gons_dependencies():
    """Declares every repository gons needs that is not declared yet."""
    if not native.existing_rule("rules_cc"):
        _files_repository(
            name = "rules_cc",
            files = {
                "@gons//tools/deps:rules_cc.BUILD.bazel": "cc/BUILD.bazel",
                "@gons//tools/deps:rules_cc.defs.bzl": "cc/defs.bzl",
                "@gons//tools/deps:empty.BUILD.bazel": "BUILD.bazel",
            },
        )
    if not native.existing_rule("rules_java"):
        _files_repository(
            name = "rules_java",
            files = {
                "@gons//tools/deps:rules_java.BUILD.bazel": "java/BUILD.bazel",
                "@gons//tools/deps:rules_java.defs.bzl": "java/defs.bzl",
                "@gons//tools/deps:empty.BUILD.bazel": "BUILD.bazel",
            },
        )
    if not native.existing_rule("remote_coverage_tools"):
        _files_repository(
            name = "remote_coverage_tools",
            files = {
                "@gons//tools/deps:remote_coverage_tools.BUILD.bazel": "BUILD.bazel",
                "@gons//tools/deps:coverage_tools.py": "coverage_tools.py",
            },
        )
    if not native.existing_rule("com_google_absl"):
        _debian_abseil(name = "com_google_absl")
    if not native.existing_rule("com_google_googletest"):
        _debian_googletest(name = "com_google_googletest")
    if not native.existing_rule("rapidjson"):
        _debian_rapidjson(name = "rapidjson")

# For the Bzlmod module extension (extensions.bzl), which declares the same
# repositories under other names.
ABSEIL_PUBLIC_TARGETS = _ABSEIL_PUBLIC_TARGETS
debian_abseil = _debian_abseil
debian_googletest = _debian_googletest
debian_rapidjson = _debian_rapidjson
