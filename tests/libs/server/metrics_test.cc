#include "libs/server/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "absl/strings/match.h"

namespace agora::server {
namespace {

TEST(MetricsTest, CountersRenderInPrometheusTextFormat) {
  MetricsRegistry registry;
  CounterFamily& calls =
      registry.AddCounter("calls_total", "Calls.", {"method", "code"});
  calls.Increment({"/a.B/C", "OK"});
  calls.Increment({"/a.B/C", "OK"}, 2);
  calls.Increment({"/a.B/C", "NOT_FOUND"});
  const std::string text = registry.Render();
  EXPECT_TRUE(absl::StrContains(text, "# TYPE calls_total counter\n"));
  EXPECT_TRUE(absl::StrContains(
      text, "calls_total{method=\"/a.B/C\",code=\"OK\"} 3\n"));
  EXPECT_TRUE(absl::StrContains(
      text, "calls_total{method=\"/a.B/C\",code=\"NOT_FOUND\"} 1\n"));
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  MetricsRegistry registry;
  HistogramFamily& latency =
      registry.AddHistogram("lat_seconds", "Latency.", {"m"}, {0.1, 1});
  latency.Observe({"x"}, 0.05);
  latency.Observe({"x"}, 0.1);  // on the bound: counted in le="0.1"
  latency.Observe({"x"}, 0.5);
  latency.Observe({"x"}, 7);
  const std::string text = registry.Render();
  EXPECT_TRUE(
      absl::StrContains(text, "lat_seconds_bucket{m=\"x\",le=\"0.1\"} 2\n"))
      << text;
  EXPECT_TRUE(
      absl::StrContains(text, "lat_seconds_bucket{m=\"x\",le=\"1\"} 3\n"));
  EXPECT_TRUE(
      absl::StrContains(text, "lat_seconds_bucket{m=\"x\",le=\"+Inf\"} 4\n"));
  EXPECT_TRUE(absl::StrContains(text, "lat_seconds_sum{m=\"x\"} 7.65\n"));
  EXPECT_TRUE(absl::StrContains(text, "lat_seconds_count{m=\"x\"} 4\n"));
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  MetricsRegistry registry;
  registry.AddCounter("c", "C.", {"l"}).Increment({"a\"b\\c\nd"});
  EXPECT_TRUE(
      absl::StrContains(registry.Render(), "c{l=\"a\\\"b\\\\c\\nd\"} 1\n"));
}

TEST(MetricsTest, GaugesAreReadAtRenderTime) {
  MetricsRegistry registry;
  int value = 1;
  registry.AddGauge("pool_open", "Open connections.", [&] { return value; });
  value = 5;
  EXPECT_TRUE(absl::StrContains(registry.Render(), "pool_open 5\n"));
}

TEST(MetricsTest, GaugeFamiliesKeepSeriesThatStopBeingReportedAtZero) {
  MetricsRegistry registry;
  GaugeFamily& queue =
      registry.AddGaugeFamily("queue_size", "Open items.", {"tenant"});
  queue.SetAll({{{"fr"}, 3}, {{"it"}, 1}});
  std::string text = registry.Render();
  EXPECT_TRUE(absl::StrContains(text, "# TYPE queue_size gauge\n"));
  EXPECT_TRUE(absl::StrContains(text, "queue_size{tenant=\"fr\"} 3\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "queue_size{tenant=\"it\"} 1\n"));
  queue.SetAll({{{"fr"}, 2}});
  text = registry.Render();
  EXPECT_TRUE(absl::StrContains(text, "queue_size{tenant=\"fr\"} 2\n"));
  EXPECT_TRUE(absl::StrContains(text, "queue_size{tenant=\"it\"} 0\n"));
  queue.Set({"pl"}, 7.5);
  EXPECT_EQ(queue.Value({"pl"}), 7.5);
  EXPECT_EQ(queue.Value({"nl"}), 0);
}

TEST(MetricsTest, ConcurrentIncrementsAreNotLost) {
  MetricsRegistry registry;
  CounterFamily& counter = registry.AddCounter("n", "N.", {});
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) counter.Increment({});
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(counter.Value({}), 8000);
}

}  // namespace
}  // namespace agora::server
