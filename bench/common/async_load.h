// A gRPC load generator's engine, for any unary RPC: `concurrency` calls
// outstanding on `threads` completion queues over `channels` connections,
// in closed loop (each answer starts the next call) or on a fixed schedule
// (`rate` calls/s, at most `concurrency` outstanding). Latency runs from
// when a call was due (its start in closed loop, its slot with a rate), so
// a generator falling behind its schedule shows it; only calls completing
// inside the window (after the warm-up) count.
//
//   AsyncLoad<Stub, Response> load(options, stubs,
//       [](Stub& stub, uint64_t k, grpc::ClientContext* context,
//          grpc::CompletionQueue* queue) {
//         return stub.AsyncGetPost(context, RequestFor(k), queue);
//       });
//   load.Run();
//   load.Report("get");
#ifndef AGORA_BENCH_COMMON_ASYNC_LOAD_H_
#define AGORA_BENCH_COMMON_ASYNC_LOAD_H_

#include <grpcpp/grpcpp.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace agora::bench {

struct LoadOptions {
  int concurrency = 64;
  int threads = 2;
  double rate = 0;  // calls/s; 0: closed loop
  absl::Duration warmup = absl::Seconds(3);
  absl::Duration duration = absl::Seconds(20);
  absl::Duration deadline = absl::Seconds(10);
  std::string authorization;  // "Bearer ..." or empty
};

// `channels` stubs made with one TCP connection each.
template <typename Stub>
std::vector<std::unique_ptr<Stub>> StubsFor(
    const std::string& target, int channels,
    std::unique_ptr<Stub> (*new_stub)(const std::shared_ptr<grpc::ChannelInterface>&,
                                      const grpc::StubOptions&)) {
  std::vector<std::unique_ptr<Stub>> stubs;
  for (int i = 0; i < std::max(1, channels); ++i) {
    grpc::ChannelArguments args;
    args.SetInt("agora.bench.channel", i);  // distinct: no shared connection
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    stubs.push_back(new_stub(
        grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                  args),
        grpc::StubOptions()));
  }
  return stubs;
}

inline double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

inline std::string StatusCodeName(int code) {
  static const char* const kNames[] = {
      "OK",        "CANCELLED",          "UNKNOWN",
      "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS",   "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION", "ABORTED",        "OUT_OF_RANGE",
      "UNIMPLEMENTED",    "INTERNAL",          "UNAVAILABLE",
      "DATA_LOSS",        "UNAUTHENTICATED"};
  return code >= 0 && code <= 16 ? kNames[code] : absl::StrCat(code);
}

template <typename Stub, typename Response>
class AsyncLoad {
 public:
  using Reader = grpc::ClientAsyncResponseReader<Response>;
  // Starts call number k on `queue`.
  using Starter = std::function<std::unique_ptr<Reader>(
      Stub& stub, uint64_t k, grpc::ClientContext* context,
      grpc::CompletionQueue* queue)>;

  AsyncLoad(LoadOptions options, std::vector<std::unique_ptr<Stub>> stubs,
            Starter start)
      : options_(std::move(options)),
        stubs_(std::move(stubs)),
        start_(std::move(start)) {
    const int threads = std::max(1, options_.threads);
    for (int i = 0; i < threads; ++i) {
      queues_.push_back(std::make_unique<grpc::CompletionQueue>());
    }
    observed_.resize(threads);
    for (int i = 0; i < std::max(1, options_.concurrency); ++i) {
      auto call = std::make_unique<Call>();
      call->queue = i % threads;
      free_.push_back(call.get());
      calls_.push_back(std::move(call));
    }
  }

  void Run() {
    const int64_t start = absl::GetCurrentTimeNanos();
    window_start_ns_ = start + absl::ToInt64Nanoseconds(options_.warmup);
    window_end_ns_ =
        window_start_ns_ + absl::ToInt64Nanoseconds(options_.duration);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < queues_.size(); ++i) {
      threads.emplace_back([this, i] { Drain(static_cast<int>(i)); });
    }
    std::thread pacer;
    if (options_.rate > 0) {
      pacer = std::thread([this, start] { Pace(start); });
    } else {
      std::vector<Call*> slots;
      {
        absl::MutexLock lock(&mu_);
        slots.swap(free_);
      }
      for (Call* call : slots) {
        call->due_ns = absl::GetCurrentTimeNanos();
        Start(*call);
      }
    }
    absl::SleepFor(
        absl::Nanoseconds(window_start_ns_ - absl::GetCurrentTimeNanos()));
    const double cpu_start = ProcessCpuSeconds();
    absl::SleepFor(
        absl::Nanoseconds(window_end_ns_ - absl::GetCurrentTimeNanos()));
    cpu_seconds_ = ProcessCpuSeconds() - cpu_start;
    stopping_.store(true);
    { absl::MutexLock lock(&mu_); }
    if (pacer.joinable()) pacer.join();
    while (outstanding_.load() > 0) absl::SleepFor(absl::Milliseconds(5));
    for (auto& queue : queues_) queue->Shutdown();
    for (std::thread& thread : threads) thread.join();
  }

  // One line: "<label>: ok/s=... p50_ms=... p99_ms=..." and the first
  // message of each error code.
  void Report(const std::string& label) const {
    const double seconds = (window_end_ns_ - window_start_ns_) / 1e9;
    std::vector<int64_t> latencies;
    std::map<int, int64_t> codes;
    std::map<int, std::string> messages;
    for (const Observed& observed : observed_) {
      latencies.insert(latencies.end(), observed.latencies_ns.begin(),
                       observed.latencies_ns.end());
      for (const auto& [code, count] : observed.codes) codes[code] += count;
      for (const auto& [code, message] : observed.first_message) {
        messages.emplace(code, message);
      }
    }
    std::sort(latencies.begin(), latencies.end());
    const auto percentile = [&latencies](double fraction) {
      if (latencies.empty()) return 0.0;
      return latencies[std::min(latencies.size() - 1,
                                static_cast<size_t>(fraction *
                                                    latencies.size()))] /
             1e6;
    };
    int64_t calls = 0, errors = 0;
    std::string error_text;
    for (const auto& [code, count] : codes) {
      calls += count;
      if (code == 0) continue;
      errors += count;
      absl::StrAppend(&error_text, error_text.empty() ? "" : ",",
                      StatusCodeName(code), ":", count);
    }
    std::printf(
        "%s: ok/s=%.0f calls/s=%.0f calls=%" PRId64 " errors=%" PRId64
        " [%s] p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f",
        label.c_str(), latencies.size() / seconds, calls / seconds, calls,
        errors, error_text.c_str(), percentile(0.50), percentile(0.90),
        percentile(0.99), percentile(0.999),
        latencies.empty() ? 0.0 : latencies.back() / 1e6);
    if (options_.rate > 0) {
      std::printf(" target_rate=%.0f late_starts=%" PRId64, options_.rate,
                  late_starts_);
    }
    std::printf(" outstanding=%zu generator_cpu=%.2f_cores\n", calls_.size(),
                cpu_seconds_ / seconds);
    for (const auto& [code, message] : messages) {
      std::printf("  %s: %s\n", StatusCodeName(code).c_str(), message.c_str());
    }
  }

 private:
  struct Call {
    int queue = 0;
    int64_t due_ns = 0;
    std::unique_ptr<grpc::ClientContext> context;
    grpc::Status status;
    Response response;
    std::unique_ptr<Reader> reader;
  };
  struct Observed {
    std::vector<int64_t> latencies_ns;
    std::map<int, int64_t> codes;
    std::map<int, std::string> first_message;
  };

  void Start(Call& call) {
    const uint64_t k = sequence_.fetch_add(1);
    call.context = std::make_unique<grpc::ClientContext>();
    call.context->set_deadline(std::chrono::system_clock::now() +
                               absl::ToChronoNanoseconds(options_.deadline));
    if (!options_.authorization.empty()) {
      call.context->AddMetadata("authorization", options_.authorization);
    }
    outstanding_.fetch_add(1);
    call.reader = start_(*stubs_[k % stubs_.size()], k, call.context.get(),
                         queues_[call.queue].get());
    call.reader->Finish(&call.response, &call.status, &call);
  }

  void Drain(int index) {
    grpc::CompletionQueue& queue = *queues_[index];
    void* tag = nullptr;
    bool ok = false;
    while (queue.Next(&tag, &ok)) {
      Call& call = *static_cast<Call*>(tag);
      const int64_t now = absl::GetCurrentTimeNanos();
      if (now >= window_start_ns_ && now < window_end_ns_) {
        Observed& observed = observed_[index];
        const int code = call.status.error_code();
        ++observed.codes[code];
        if (call.status.ok()) {
          observed.latencies_ns.push_back(now - call.due_ns);
        } else if (!observed.first_message.contains(code)) {
          observed.first_message[code] = call.status.error_message();
        }
      }
      if (options_.rate > 0 || stopping_.load()) {
        absl::MutexLock lock(&mu_);
        free_.push_back(&call);
      } else {
        call.due_ns = now;
        Start(call);
      }
      outstanding_.fetch_sub(1);
    }
  }

  void Pace(int64_t start) {
    const double interval_ns = 1e9 / options_.rate;
    for (uint64_t n = 0;; ++n) {
      const int64_t due = start + static_cast<int64_t>(n * interval_ns);
      const int64_t wait = due - absl::GetCurrentTimeNanos();
      if (wait > 0) absl::SleepFor(absl::Nanoseconds(wait));
      Call* call = nullptr;
      {
        absl::MutexLock lock(&mu_);
        auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return stopping_.load() || !free_.empty();
        };
        mu_.Await(absl::Condition(&ready));
        if (stopping_.load()) return;
        call = free_.back();
        free_.pop_back();
      }
      if (absl::GetCurrentTimeNanos() - due > 1'000'000) ++late_starts_;
      call->due_ns = due;
      Start(*call);
    }
  }

  const LoadOptions options_;
  std::vector<std::unique_ptr<Stub>> stubs_;
  Starter start_;
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues_;
  std::vector<Observed> observed_;
  std::vector<std::unique_ptr<Call>> calls_;
  absl::Mutex mu_;
  std::vector<Call*> free_ ABSL_GUARDED_BY(mu_);
  std::atomic<uint64_t> sequence_{0};
  std::atomic<int64_t> outstanding_{0};
  std::atomic<bool> stopping_{false};
  int64_t window_start_ns_ = 0;
  int64_t window_end_ns_ = 0;
  double cpu_seconds_ = 0;
  int64_t late_starts_ = 0;
};

}  // namespace agora::bench

#endif  // AGORA_BENCH_COMMON_ASYNC_LOAD_H_
