// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Test helper: makes a POSIX message queue in the IPC namespace it runs in
// and sends messages to it, so that nsinspect's tests have a queue with
// known attributes. No shell tool makes one.
//
// argv: mqueue_maker NAME MAX_MESSAGES MESSAGE_SIZE [MESSAGE...]
//   NAME is the queue's name with its leading '/'. The queue is made anew
//   (O_CREAT | O_EXCL) with mode 0640, and each MESSAGE is sent at
//   priority 0. The queue outlives the helper, until it is unlinked or its
//   IPC namespace goes.
// Exit status: 0 when done; 1, with the failed call on stderr; 2 for a
// usage error.

#include <fcntl.h>
#include <mqueue.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv) {
  if (argc < 4 || argv[1][0] != '/') {
    std::fprintf(stderr,
                 "usage: mqueue_maker /NAME MAX_MESSAGES MESSAGE_SIZE "
                 "[MESSAGE...]\n");
    return 2;
  }
  char* end = nullptr;
  struct mq_attr attributes = {};
  attributes.mq_maxmsg = std::strtol(argv[2], &end, 10);
  if (*end != '\0' || attributes.mq_maxmsg <= 0) return 2;
  attributes.mq_msgsize = std::strtol(argv[3], &end, 10);
  if (*end != '\0' || attributes.mq_msgsize <= 0) return 2;
  const mqd_t queue = mq_open(argv[1], O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
                              0640, &attributes);
  if (queue == static_cast<mqd_t>(-1)) {
    std::fprintf(stderr, "mq_open(%s): %s\n", argv[1], std::strerror(errno));
    return 1;
  }
  for (int i = 4; i < argc; ++i) {
    if (mq_send(queue, argv[i], std::strlen(argv[i]), 0) != 0) {
      std::fprintf(stderr, "mq_send: %s\n", std::strerror(errno));
      return 1;
    }
  }
  if (mq_close(queue) != 0) {
    std::fprintf(stderr, "mq_close: %s\n", std::strerror(errno));
    return 1;
  }
  return 0;
}
