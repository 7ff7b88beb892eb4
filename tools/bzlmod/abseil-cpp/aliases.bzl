"""Upstream Abseil's public targets of one package, from Debian's Abseil."""

load("@gons//tools/deps:repositories.bzl", "ABSEIL_PUBLIC_TARGETS")

def debian_abseil_aliases():
    """Declares this package's public targets as aliases of @debian_abseil's."""
    package = native.package_name()
    for target in ABSEIL_PUBLIC_TARGETS[package]:
        native.alias(
            name = target,
            actual = "@debian_abseil//%s:%s" % (package, target),
            visibility = ["//visibility:public"],
        )
