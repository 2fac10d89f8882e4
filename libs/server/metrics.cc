#include "libs/server/metrics.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace agora::server {
namespace {

std::string Escape(const std::string& value) {
  return absl::StrReplaceAll(value,
                             {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}});
}

std::string Labels(const std::vector<std::string>& names,
                   const LabelValues& values, const std::string& extra = "") {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    absl::StrAppend(&out, out.empty() ? "" : ",", names[i], "=\"",
                    Escape(values[i]), "\"");
  }
  if (!extra.empty()) absl::StrAppend(&out, out.empty() ? "" : ",", extra);
  return out.empty() ? "" : absl::StrCat("{", out, "}");
}

std::string Number(double value) { return absl::StrCat(value); }

}  // namespace

CounterFamily::CounterFamily(std::string name, std::string help,
                             std::vector<std::string> labels)
    : name_(std::move(name)),
      help_(std::move(help)),
      labels_(std::move(labels)) {}

void CounterFamily::Increment(const LabelValues& values, double value) {
  absl::MutexLock lock(&mu_);
  series_[values] += value;
}

double CounterFamily::Value(const LabelValues& values) const {
  absl::MutexLock lock(&mu_);
  auto found = series_.find(values);
  return found == series_.end() ? 0 : found->second;
}

void CounterFamily::Render(std::string& out) const {
  absl::StrAppend(&out, "# HELP ", name_, " ", help_, "\n# TYPE ", name_,
                  " counter\n");
  absl::MutexLock lock(&mu_);
  for (const auto& [values, value] : series_) {
    absl::StrAppend(&out, name_, Labels(labels_, values), " ", Number(value),
                    "\n");
  }
}

HistogramFamily::HistogramFamily(std::string name, std::string help,
                                 std::vector<std::string> labels,
                                 std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      labels_(std::move(labels)),
      bounds_(std::move(bounds)) {}

void HistogramFamily::Observe(const LabelValues& values, double value) {
  const size_t bucket =
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  absl::MutexLock lock(&mu_);
  Series& series = series_[values];
  if (series.buckets.empty()) series.buckets.assign(bounds_.size() + 1, 0);
  ++series.buckets[bucket];
  series.sum += value;
  ++series.count;
}

uint64_t HistogramFamily::Count(const LabelValues& values) const {
  absl::MutexLock lock(&mu_);
  auto found = series_.find(values);
  return found == series_.end() ? 0 : found->second.count;
}

void HistogramFamily::Render(std::string& out) const {
  absl::StrAppend(&out, "# HELP ", name_, " ", help_, "\n# TYPE ", name_,
                  " histogram\n");
  absl::MutexLock lock(&mu_);
  for (const auto& [values, series] : series_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= bounds_.size(); ++i) {
      cumulative += series.buckets[i];
      const std::string le =
          i < bounds_.size() ? absl::StrCat("le=\"", Number(bounds_[i]), "\"")
                             : "le=\"+Inf\"";
      absl::StrAppend(&out, name_, "_bucket", Labels(labels_, values, le), " ",
                      cumulative, "\n");
    }
    absl::StrAppend(&out, name_, "_sum", Labels(labels_, values), " ",
                    Number(series.sum), "\n", name_, "_count",
                    Labels(labels_, values), " ", series.count, "\n");
  }
}

GaugeFamily::GaugeFamily(std::string name, std::string help,
                         std::vector<std::string> labels)
    : name_(std::move(name)),
      help_(std::move(help)),
      labels_(std::move(labels)) {}

void GaugeFamily::Set(const LabelValues& values, double value) {
  absl::MutexLock lock(&mu_);
  series_[values] = value;
}

void GaugeFamily::SetAll(const std::map<LabelValues, double>& snapshot) {
  absl::MutexLock lock(&mu_);
  for (auto& [values, value] : series_) value = 0;
  for (const auto& [values, value] : snapshot) series_[values] = value;
}

double GaugeFamily::Value(const LabelValues& values) const {
  absl::MutexLock lock(&mu_);
  auto found = series_.find(values);
  return found == series_.end() ? 0 : found->second;
}

void GaugeFamily::Render(std::string& out) const {
  absl::StrAppend(&out, "# HELP ", name_, " ", help_, "\n# TYPE ", name_,
                  " gauge\n");
  absl::MutexLock lock(&mu_);
  for (const auto& [values, value] : series_) {
    absl::StrAppend(&out, name_, Labels(labels_, values), " ", Number(value),
                    "\n");
  }
}

CounterFamily& MetricsRegistry::AddCounter(std::string name, std::string help,
                                           std::vector<std::string> labels) {
  absl::MutexLock lock(&mu_);
  counters_.push_back(std::make_unique<CounterFamily>(
      std::move(name), std::move(help), std::move(labels)));
  return *counters_.back();
}

HistogramFamily& MetricsRegistry::AddHistogram(std::string name,
                                               std::string help,
                                               std::vector<std::string> labels,
                                               std::vector<double> bounds) {
  absl::MutexLock lock(&mu_);
  histograms_.push_back(std::make_unique<HistogramFamily>(
      std::move(name), std::move(help), std::move(labels), std::move(bounds)));
  return *histograms_.back();
}

GaugeFamily& MetricsRegistry::AddGaugeFamily(std::string name, std::string help,
                                             std::vector<std::string> labels) {
  absl::MutexLock lock(&mu_);
  gauge_families_.push_back(std::make_unique<GaugeFamily>(
      std::move(name), std::move(help), std::move(labels)));
  return *gauge_families_.back();
}

void MetricsRegistry::AddGauge(std::string name, std::string help,
                               std::function<double()> read) {
  absl::MutexLock lock(&mu_);
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read)});
}

std::string MetricsRegistry::Render() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& counter : counters_) counter->Render(out);
  for (const auto& histogram : histograms_) histogram->Render(out);
  for (const auto& family : gauge_families_) family->Render(out);
  for (const Gauge& gauge : gauges_) {
    absl::StrAppend(&out, "# HELP ", gauge.name, " ", gauge.help, "\n# TYPE ",
                    gauge.name, " gauge\n", gauge.name, " ",
                    Number(gauge.read()), "\n");
  }
  return out;
}

std::vector<double> LatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,  0.5,    1,     2.5,  5,     10};
}

}  // namespace agora::server
