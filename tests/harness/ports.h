// Loopback ports for the servers a test starts.
#ifndef AGORA_TESTS_HARNESS_PORTS_H_
#define AGORA_TESTS_HARNESS_PORTS_H_

#include "absl/time/time.h"

namespace agora::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's choice).
int FreePort();

// True once something accepts connections on 127.0.0.1:port, false after
// `timeout`. Create gRPC channels after this: a channel whose first
// connection is refused backs off for seconds before it tries again.
bool WaitForPort(int port, absl::Duration timeout);

}  // namespace agora::testing

#endif  // AGORA_TESTS_HARNESS_PORTS_H_
