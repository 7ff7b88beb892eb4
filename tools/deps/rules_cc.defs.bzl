# @rules_cc//cc:defs.bzl for an offline Bazel 4.2.3: the native C++ rules
# under the names that @bazel_tools and other repositories load. Bazel would
# otherwise download rules_cc; Debian's bazel-rules-cc is too new for 4.2.3.

def cc_binary(**attrs):
    native.cc_binary(**attrs)

def cc_import(**attrs):
    native.cc_import(**attrs)

def cc_library(**attrs):
    native.cc_library(**attrs)

def cc_proto_library(**attrs):
    native.cc_proto_library(**attrs)

def cc_test(**attrs):
    native.cc_test(**attrs)

def cc_toolchain(**attrs):
    native.cc_toolchain(**attrs)

def cc_toolchain_suite(**attrs):
    native.cc_toolchain_suite(**attrs)

def objc_library(**attrs):
    native.objc_library(**attrs)
