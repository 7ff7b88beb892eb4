# @rules_java//java:defs.bzl for an offline Bazel 4.2.3: the native Java rules
# under the names that @bazel_tools loads when it registers its (unused here)
# Java toolchains. Bazel would otherwise download rules_java.

def java_binary(**attrs):
    native.java_binary(**attrs)

def java_import(**attrs):
    native.java_import(**attrs)

def java_library(**attrs):
    native.java_library(**attrs)

def java_proto_library(**attrs):
    native.java_proto_library(**attrs)

def java_runtime(**attrs):
    native.java_runtime(**attrs)

def java_toolchain(**attrs):
    native.java_toolchain(**attrs)
