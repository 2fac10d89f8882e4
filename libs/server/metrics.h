// Prometheus metrics kept in memory and rendered in the text exposition
// format (version 0.0.4) for the /metrics endpoint. Families are created once
// at start-up; updates are thread-safe and cheap (one mutex per family).
#ifndef AGORA_LIBS_SERVER_METRICS_H_
#define AGORA_LIBS_SERVER_METRICS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace agora::server {

using LabelValues = std::vector<std::string>;

class CounterFamily {
 public:
  CounterFamily(std::string name, std::string help,
                std::vector<std::string> labels);
  // Adds `value` (>= 0) to the series with these label values (one per label).
  void Increment(const LabelValues& values, double value = 1);
  double Value(const LabelValues& values) const;
  void Render(std::string& out) const;

 private:
  const std::string name_, help_;
  const std::vector<std::string> labels_;
  mutable absl::Mutex mu_;
  std::map<LabelValues, double> series_ ABSL_GUARDED_BY(mu_);
};

class HistogramFamily {
 public:
  // `bounds`: ascending upper bounds; +Inf is implied.
  HistogramFamily(std::string name, std::string help,
                  std::vector<std::string> labels, std::vector<double> bounds);
  void Observe(const LabelValues& values, double value);
  uint64_t Count(const LabelValues& values) const;
  void Render(std::string& out) const;

 private:
  struct Series {
    std::vector<uint64_t> buckets;  // per bound, not cumulative; last = +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  const std::string name_, help_;
  const std::vector<std::string> labels_;
  const std::vector<double> bounds_;
  mutable absl::Mutex mu_;
  std::map<LabelValues, Series> series_ ABSL_GUARDED_BY(mu_);
};

// Gauges with labels, set by their owner (per-tenant queue sizes ...).
class GaugeFamily {
 public:
  GaugeFamily(std::string name, std::string help,
              std::vector<std::string> labels);
  void Set(const LabelValues& values, double value);
  // Sets every series of `snapshot` and sets the family's other series to
  // 0: a series that stops being reported reads 0 rather than disappearing.
  void SetAll(const std::map<LabelValues, double>& snapshot);
  double Value(const LabelValues& values) const;
  void Render(std::string& out) const;

 private:
  const std::string name_, help_;
  const std::vector<std::string> labels_;
  mutable absl::Mutex mu_;
  std::map<LabelValues, double> series_ ABSL_GUARDED_BY(mu_);
};

// All metrics of a process. Families are owned here and live as long as it.
class MetricsRegistry {
 public:
  CounterFamily& AddCounter(std::string name, std::string help,
                            std::vector<std::string> labels);
  HistogramFamily& AddHistogram(std::string name, std::string help,
                                std::vector<std::string> labels,
                                std::vector<double> bounds);
  GaugeFamily& AddGaugeFamily(std::string name, std::string help,
                              std::vector<std::string> labels);
  // A gauge read when rendered (pool sizes, queue lengths ...).
  void AddGauge(std::string name, std::string help,
                std::function<double()> read);

  std::string Render() const;

 private:
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<CounterFamily>> counters_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<HistogramFamily>> histograms_
      ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<GaugeFamily>> gauge_families_
      ABSL_GUARDED_BY(mu_);
  std::vector<Gauge> gauges_ ABSL_GUARDED_BY(mu_);
};

// Latency buckets in seconds, 0.5 ms to 10 s.
std::vector<double> LatencyBuckets();

}  // namespace agora::server

#endif  // AGORA_LIBS_SERVER_METRICS_H_
