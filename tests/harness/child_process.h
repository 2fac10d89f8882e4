// A program a test runs as a child process (a service under test, a consumer
// the test kills mid-batch). Killed with SIGKILL when the object goes, so a
// failing test leaves no process behind.
#ifndef AGORA_TESTS_HARNESS_CHILD_PROCESS_H_
#define AGORA_TESTS_HARNESS_CHILD_PROCESS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace agora::testing {

class ChildProcess {
 public:
  // Starts argv[0] with the arguments that follow and this environment.
  static absl::StatusOr<ChildProcess> Start(std::vector<std::string> argv);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  bool Signal(int signal) const;
  // SIGKILL, then reap.
  void Kill();
  // The exit code once the process has ended (128 + signal when a signal
  // ended it), or nullopt if it still runs after `timeout`.
  std::optional<int> WaitExit(absl::Duration timeout);

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
};

}  // namespace agora::testing

#endif  // AGORA_TESTS_HARNESS_CHILD_PROCESS_H_
