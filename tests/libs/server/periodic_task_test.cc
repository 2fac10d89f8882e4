// PeriodicTask: runs at start, at every tick, at once when woken, keeps going
// after a failed run, and Stop waits for the thread.
#include "libs/server/periodic_task.h"

#include <gtest/gtest.h>

#include <atomic>

#include "absl/time/clock.h"

namespace agora::server {
namespace {

// Waits up to 10 s for `runs` to reach `at_least`.
bool Reaches(const std::atomic<int>& runs, int at_least) {
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (runs.load() < at_least && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(2));
  }
  return runs.load() >= at_least;
}

TEST(PeriodicTaskTest, RunsAtStartThenAtEveryTick) {
  std::atomic<int> runs{0};
  PeriodicTask task("test", absl::Milliseconds(20), [&] {
    ++runs;
    return absl::OkStatus();
  });
  EXPECT_EQ(runs.load(), 0) << "nothing before Start";
  task.Start();
  EXPECT_TRUE(Reaches(runs, 3));
  task.Stop();
  const int stopped_at = runs.load();
  absl::SleepFor(absl::Milliseconds(60));
  EXPECT_EQ(runs.load(), stopped_at) << "no run after Stop returned";
}

TEST(PeriodicTaskTest, WakeRunsLongBeforeTheNextTick) {
  std::atomic<int> runs{0};
  PeriodicTask task("test", absl::Hours(1), [&] {
    ++runs;
    return absl::OkStatus();
  });
  task.Start();
  ASSERT_TRUE(Reaches(runs, 1));
  task.Wake();
  EXPECT_TRUE(Reaches(runs, 2)) << "woken, not after an hour";
  task.Stop();  // returns without waiting for the hour
}

TEST(PeriodicTaskTest, AFailedRunIsTriedAgainAtTheNextTick) {
  std::atomic<int> runs{0};
  PeriodicTask task("test", absl::Milliseconds(10), [&] {
    ++runs;
    return absl::UnavailableError("database down");
  });
  task.Start();
  EXPECT_TRUE(Reaches(runs, 3));
}

}  // namespace
}  // namespace agora::server
