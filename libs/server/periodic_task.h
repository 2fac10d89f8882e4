// A function run on a thread of its own every `interval` (the first run at
// Start) until Stop: background work of a service that no request waits for
// (gauges, sealing, flushing). Wake() runs it again now instead of at the
// next tick. Stop waits for a run in progress to end.
#ifndef AGORA_LIBS_SERVER_PERIODIC_TASK_H_
#define AGORA_LIBS_SERVER_PERIODIC_TASK_H_

#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace agora::server {

class PeriodicTask {
 public:
  // `run` failing (an error or an exception) is logged as a warning naming
  // `name`, and run again at the next tick.
  PeriodicTask(std::string name, absl::Duration interval,
               std::function<absl::Status()> run);
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;
  ~PeriodicTask();  // stops the thread

  void Start();
  void Wake();
  void Stop();

 private:
  void Loop();
  bool Due() const ABSL_SHARED_LOCKS_REQUIRED(mutex_);

  const std::string name_;
  const absl::Duration interval_;
  const std::function<absl::Status()> run_;
  absl::Mutex mutex_;
  bool woken_ ABSL_GUARDED_BY(mutex_) = false;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace agora::server

#endif  // AGORA_LIBS_SERVER_PERIODIC_TASK_H_
