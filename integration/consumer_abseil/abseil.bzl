"""This repository's own Abseil, under a name of its own.

A stand-in for Abseil built from source: Debian's shared libraries (where
gons's default copy links Debian's static archives), behind upstream's
package layout, so that //absl/status and the others exist as upstream's do.
A program whose gons was built with gons's default copy would define
Abseil's functions itself; consumer_test.sh checks that it defines none.
"""

_LIBDIR = "/usr/lib/x86_64-linux-gnu"

# The upstream packages and targets this repository provides.
_PACKAGES = {
    "absl/algorithm": ["algorithm", "container"],
    "absl/base": ["base", "core_headers"],
    "absl/status": ["status", "statusor"],
    "absl/strings": ["strings", "str_format", "cord"],
    "absl/synchronization": ["synchronization"],
    "absl/time": ["time"],
}

def _shared_abseil_impl(rctx):
    libraries = []
    for entry in rctx.path(_LIBDIR).readdir():
        if entry.basename.startswith("libabsl_") and entry.basename.endswith(".so"):
            rctx.symlink(entry, "lib/" + entry.basename)
            libraries.append("lib/" + entry.basename)
    if not libraries:
        fail("no libabsl_*.so in %s: apt-get install libabsl-dev" % _LIBDIR)
    rctx.file("BUILD.bazel", """
cc_library(
    name = "abseil",
    srcs = %r,
    visibility = ["//absl:__subpackages__"],
)
""" % sorted(libraries))
    for package, targets in _PACKAGES.items():
        rctx.file(package + "/BUILD.bazel", "".join([
            'alias(name = %r, actual = "//:abseil", visibility = ["//visibility:public"])\n' % target
            for target in targets
        ]))
    rctx.file("absl/BUILD.bazel", "")
    rctx.file("WORKSPACE", "workspace(name = %r)\n" % rctx.attr.name)

shared_abseil = repository_rule(implementation = _shared_abseil_impl, local = True)
