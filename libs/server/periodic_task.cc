#include "libs/server/periodic_task.h"

#include <exception>
#include <utility>

#include "libs/logging/log.h"

namespace agora::server {

PeriodicTask::PeriodicTask(std::string name, absl::Duration interval,
                           std::function<absl::Status()> run)
    : name_(std::move(name)), interval_(interval), run_(std::move(run)) {}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Start() {
  if (thread_.joinable()) return;
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicTask::Wake() {
  absl::MutexLock lock(&mutex_);
  woken_ = true;
}

void PeriodicTask::Stop() {
  if (!thread_.joinable()) return;
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  thread_.join();
}

bool PeriodicTask::Due() const { return woken_ || stopping_; }

void PeriodicTask::Loop() {
  while (true) {
    try {
      if (absl::Status done = run_(); !done.ok()) {
        logging::Warn(name_ + ": run failed, retried at the next tick",
                      {{"error", done.ToString()}});
      }
    } catch (const std::exception& error) {
      // A library's exception (a broken connection in libpqxx) must not end
      // the thread, nor the process.
      logging::Warn(name_ + ": run failed, retried at the next tick",
                    {{"error", error.what()}});
    }
    absl::MutexLock lock(&mutex_);
    mutex_.AwaitWithTimeout(absl::Condition(this, &PeriodicTask::Due),
                            interval_);
    if (stopping_) return;
    woken_ = false;
  }
}

}  // namespace agora::server
