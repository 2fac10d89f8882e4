// resolve_load: a gRPC load generator for agora-share's short-link
// resolution (what the gateway calls for every `/s/{code}`), measured end
// to end as a client sees it: network stack, token check, code format,
// link cache, the one Redis script that rate-limits and counts, preview.
//
//   resolve_load --mode=setup --admin_token=... --member_token=...
//                --posts=1000 --codes_out=codes.txt
//       configures tenant fr's share settings (URLs, 600 resolutions per
//       visitor and minute) and makes the short links of posts p1..pN
//       (every network), writing their codes one per line;
//   resolve_load --mode=resolve --token=<gateway> --codes_file=codes.txt
//                --concurrency=64 --duration=20s [--rate=20000]
//       closed loop (each answer starts the next call) or, with --rate,
//       calls on a fixed schedule with at most `concurrency` outstanding.
//
// Call k resolves code k mod C for visitor k mod V (--visitors), with a
// crawler's user agent for a fraction --bot_fraction of the calls. Latency
// is measured from when a call was due (its start in closed loop, its slot
// with a rate), so a generator falling behind its schedule shows it; only
// calls completing inside the window (after --warmup) count.
#include <grpcpp/grpcpp.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "agora/share/v1/share.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50055", "host:port of the service");
ABSL_FLAG(std::string, mode, "resolve", "setup or resolve");
ABSL_FLAG(int, concurrency, 64, "Calls outstanding at once");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(20),
          "Measured window, after the warm-up");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(3),
          "Load sent but not measured before the window");
ABSL_FLAG(int, channels, 4, "gRPC channels (one TCP connection each)");
ABSL_FLAG(int, threads, 2, "Completion-queue threads of the generator");
ABSL_FLAG(double, rate, 0,
          "Calls per second on a fixed schedule (0: closed loop)");
ABSL_FLAG(std::string, token, "",
          "resolve: the gateway's token (share.resolve)");
ABSL_FLAG(std::string, codes_file, "", "resolve: short codes, one per line");
ABSL_FLAG(int, visitors, 100000, "resolve: distinct visitor keys");
ABSL_FLAG(double, bot_fraction, 0.05, "resolve: calls made as a crawler");
ABSL_FLAG(std::string, tenant, "fr", "Tenant id");
ABSL_FLAG(std::string, admin_token, "", "setup: a tenant admin's token");
ABSL_FLAG(std::string, member_token, "", "setup: the sharer's token");
ABSL_FLAG(int, posts, 1000, "setup: posts p1..pN exist (published)");
ABSL_FLAG(std::string, codes_out, "codes.txt", "setup: where codes go");
ABSL_FLAG(absl::Duration, deadline, absl::Seconds(10), "Deadline of a call");

namespace {

namespace v1 = agora::share::v1;

constexpr char kBrowser[] =
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36";
constexpr char kCrawler[] =
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";

int64_t NowNanos() { return absl::GetCurrentTimeNanos(); }

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::string CodeName(int code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  return code >= 0 && code <= 16 ? kNames[code] : absl::StrCat(code);
}

struct Observed {
  std::vector<int64_t> latencies_ns;
  std::map<int, int64_t> codes;
  std::map<int, std::string> first_message;
  int64_t unavailable = 0;  // answered "no longer available"
  int64_t bots = 0;         // answered bot = true
};

struct Call {
  int queue = 0;
  int64_t due_ns = 0;
  std::unique_ptr<grpc::ClientContext> context;
  grpc::Status status;
  v1::ResolveShortLinkRequest request;
  v1::ResolveShortLinkResponse response;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::ResolveShortLinkResponse>>
      reader;
};

std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (!text.empty()) lines.emplace_back(text);
  }
  return lines;
}

class ResolveLoad {
 public:
  explicit ResolveLoad(std::vector<std::string> codes)
      : codes_(std::move(codes)) {
    for (int i = 0; i < std::max(1, absl::GetFlag(FLAGS_channels)); ++i) {
      grpc::ChannelArguments args;
      // Distinct arguments: one connection per channel.
      args.SetInt("agora.bench.channel", i);
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      stubs_.push_back(v1::ShareService::NewStub(
          grpc::CreateCustomChannel(absl::GetFlag(FLAGS_target),
                                    grpc::InsecureChannelCredentials(), args)));
    }
    const int threads = std::max(1, absl::GetFlag(FLAGS_threads));
    for (int i = 0; i < threads; ++i) {
      queues_.push_back(std::make_unique<grpc::CompletionQueue>());
    }
    observed_.resize(threads);
    for (int i = 0; i < std::max(1, absl::GetFlag(FLAGS_concurrency)); ++i) {
      auto call = std::make_unique<Call>();
      call->queue = i % threads;
      free_.push_back(call.get());
      calls_.push_back(std::move(call));
    }
  }

  void Run(absl::Duration warmup, absl::Duration duration) {
    const int64_t start = NowNanos();
    window_start_ns_ = start + absl::ToInt64Nanoseconds(warmup);
    window_end_ns_ = window_start_ns_ + absl::ToInt64Nanoseconds(duration);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < queues_.size(); ++i) {
      threads.emplace_back([this, i] { Drain(static_cast<int>(i)); });
    }
    std::thread pacer;
    if (rate_ > 0) {
      pacer = std::thread([this, start] { Pace(start); });
    } else {
      std::vector<Call*> slots;
      {
        absl::MutexLock lock(&mu_);
        slots.swap(free_);
      }
      for (Call* call : slots) {
        call->due_ns = NowNanos();
        Start(*call);
      }
    }
    absl::SleepFor(absl::Nanoseconds(window_start_ns_ - NowNanos()));
    const double cpu_start = CpuSeconds();
    absl::SleepFor(absl::Nanoseconds(window_end_ns_ - NowNanos()));
    cpu_seconds_ = CpuSeconds() - cpu_start;
    stopping_.store(true);
    { absl::MutexLock lock(&mu_); }
    if (pacer.joinable()) pacer.join();
    while (outstanding_.load() > 0) absl::SleepFor(absl::Milliseconds(5));
    for (auto& queue : queues_) queue->Shutdown();
    for (std::thread& thread : threads) thread.join();
  }

  void Report() const {
    const double seconds = (window_end_ns_ - window_start_ns_) / 1e9;
    std::vector<int64_t> latencies;
    std::map<int, int64_t> codes;
    std::map<int, std::string> messages;
    int64_t unavailable = 0, bots = 0;
    for (const Observed& observed : observed_) {
      latencies.insert(latencies.end(), observed.latencies_ns.begin(),
                       observed.latencies_ns.end());
      for (const auto& [code, count] : observed.codes) codes[code] += count;
      for (const auto& [code, message] : observed.first_message) {
        messages.emplace(code, message);
      }
      unavailable += observed.unavailable;
      bots += observed.bots;
    }
    std::sort(latencies.begin(), latencies.end());
    auto percentile = [&latencies](double fraction) {
      if (latencies.empty()) return 0.0;
      return latencies[std::min(
                 latencies.size() - 1,
                 static_cast<size_t>(fraction * latencies.size()))] /
             1e6;
    };
    int64_t calls = 0, errors = 0;
    std::string error_text;
    for (const auto& [code, count] : codes) {
      calls += count;
      if (code == 0) continue;
      errors += count;
      absl::StrAppend(&error_text, error_text.empty() ? "" : ",",
                      CodeName(code), ":", count);
    }
    std::printf(
        "resolve: ok/s=%.0f calls/s=%.0f calls=%" PRId64 " errors=%" PRId64
        " [%s] p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f"
        " bots=%" PRId64 " unavailable=%" PRId64,
        latencies.size() / seconds, calls / seconds, calls, errors,
        error_text.c_str(), percentile(0.50), percentile(0.90),
        percentile(0.99), percentile(0.999),
        latencies.empty() ? 0.0 : latencies.back() / 1e6, bots, unavailable);
    if (rate_ > 0) {
      std::printf(" target_rate=%.0f late_starts=%" PRId64, rate_,
                  late_starts_);
    }
    std::printf(
        " outstanding=%zu generator_cpu=%.2f_cores answered_all=%" PRId64 "\n",
        calls_.size(), cpu_seconds_ / seconds, answered_.load());
    for (const auto& [code, message] : messages) {
      std::printf("  %s: %s\n", CodeName(code).c_str(), message.c_str());
    }
  }

 private:
  void Start(Call& call) {
    const uint64_t k = sequence_.fetch_add(1);
    call.context = std::make_unique<grpc::ClientContext>();
    call.context->set_deadline(std::chrono::system_clock::now() +
                               absl::ToChronoNanoseconds(deadline_));
    call.context->AddMetadata("authorization", authorization_);
    call.request.set_name(absl::StrCat("tenants/", tenant_, "/shortLinks/",
                                       codes_[k % codes_.size()]));
    // 16+ characters, as the gateway's keys are.
    call.request.set_visitor_key(absl::StrFormat(
        "bench-visitor-%010d", static_cast<int>(k % visitors_)));
    // Every 1/bot_fraction-th call (spread, deterministic) is a crawler.
    const bool bot = bot_every_ > 0 && k % bot_every_ == 0;
    call.request.set_user_agent(bot ? kCrawler : kBrowser);
    outstanding_.fetch_add(1);
    call.reader = stubs_[k % stubs_.size()]->AsyncResolveShortLink(
        call.context.get(), call.request, queues_[call.queue].get());
    call.reader->Finish(&call.response, &call.status, &call);
  }

  void Drain(int index) {
    grpc::CompletionQueue& queue = *queues_[index];
    void* tag = nullptr;
    bool ok = false;
    while (queue.Next(&tag, &ok)) {
      Call& call = *static_cast<Call*>(tag);
      const int64_t now = NowNanos();
      if (call.status.ok()) answered_.fetch_add(1);
      if (now >= window_start_ns_ && now < window_end_ns_) {
        Observed& observed = observed_[index];
        const int code = call.status.error_code();
        ++observed.codes[code];
        if (call.status.ok()) {
          observed.latencies_ns.push_back(now - call.due_ns);
          if (!call.response.available()) ++observed.unavailable;
          if (call.response.bot()) ++observed.bots;
        } else if (!observed.first_message.contains(code)) {
          observed.first_message[code] = call.status.error_message();
        }
      }
      if (rate_ > 0 || stopping_.load()) {
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
    const double interval_ns = 1e9 / rate_;
    for (uint64_t n = 0;; ++n) {
      const int64_t due = start + static_cast<int64_t>(n * interval_ns);
      const int64_t wait = due - NowNanos();
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
      if (NowNanos() - due > 1'000'000) ++late_starts_;
      call->due_ns = due;
      Start(*call);
    }
  }

  const std::vector<std::string> codes_;
  const std::string tenant_ = absl::GetFlag(FLAGS_tenant);
  const std::string authorization_ =
      absl::StrCat("Bearer ", absl::GetFlag(FLAGS_token));
  const uint64_t visitors_ =
      static_cast<uint64_t>(std::max(1, absl::GetFlag(FLAGS_visitors)));
  const uint64_t bot_every_ =
      absl::GetFlag(FLAGS_bot_fraction) > 0
          ? static_cast<uint64_t>(1.0 / absl::GetFlag(FLAGS_bot_fraction))
          : 0;
  const double rate_ = absl::GetFlag(FLAGS_rate);
  const absl::Duration deadline_ = absl::GetFlag(FLAGS_deadline);
  std::vector<std::unique_ptr<v1::ShareService::Stub>> stubs_;
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues_;
  std::vector<std::unique_ptr<Call>> calls_;
  std::vector<Observed> observed_;
  absl::Mutex mu_;
  std::vector<Call*> free_ ABSL_GUARDED_BY(mu_);
  std::atomic<uint64_t> sequence_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> outstanding_{0};
  // Every call answered OK, warm-up and tail included: what PostgreSQL
  // must count once flushed.
  std::atomic<int64_t> answered_{0};
  int64_t late_starts_ = 0;
  int64_t window_start_ns_ = 0;
  int64_t window_end_ns_ = 0;
  double cpu_seconds_ = 0;
};

int Fail(const char* what, const grpc::Status& status) {
  std::fprintf(stderr, "resolve_load: %s: %s: %s\n", what,
               CodeName(status.error_code()).c_str(),
               status.error_message().c_str());
  return 1;
}

std::unique_ptr<grpc::ClientContext> SetupCall(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
  return context;
}

// Settings for the run, then every post's links.
int Setup() {
  auto stub = v1::ShareService::NewStub(grpc::CreateChannel(
      absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials()));
  const std::string tenant = absl::GetFlag(FLAGS_tenant);
  const std::string host = tenant + ".agora.example";
  v1::UpdateShareSettingsRequest update;
  v1::ShareSettings* settings = update.mutable_share_settings();
  settings->set_name(absl::StrCat("tenants/", tenant, "/shareSettings"));
  settings->add_allowed_target_hosts(host);
  settings->set_public_base_url("https://" + host);
  settings->set_short_link_base_url("https://agora.link");
  settings->set_unavailable_page_url(absl::StrCat("https://", host, "/gone"));
  settings->set_default_preview_image_uri(
      absl::StrCat("https://", host, "/og.png"));
  settings->set_max_resolutions_per_visitor_per_minute(600);
  for (const char* path :
       {"allowed_target_hosts", "public_base_url", "short_link_base_url",
        "unavailable_page_url", "default_preview_image_uri",
        "max_resolutions_per_visitor_per_minute"}) {
    update.mutable_update_mask()->add_paths(path);
  }
  v1::ShareSettings updated;
  grpc::Status status = stub->UpdateShareSettings(
      SetupCall(absl::GetFlag(FLAGS_admin_token)).get(), update, &updated);
  if (!status.ok()) return Fail("UpdateShareSettings", status);
  std::ofstream out(absl::GetFlag(FLAGS_codes_out));
  int codes = 0;
  for (int i = 1; i <= absl::GetFlag(FLAGS_posts); ++i) {
    v1::CreateShareLinksRequest request;
    request.set_post(absl::StrCat("tenants/", tenant, "/posts/p", i));
    v1::CreateShareLinksResponse response;
    status = stub->CreateShareLinks(
        SetupCall(absl::GetFlag(FLAGS_member_token)).get(), request, &response);
    if (!status.ok()) return Fail("CreateShareLinks", status);
    for (const v1::ShareLink& link : response.share_links()) {
      out << link.short_link().code() << "\n";
      ++codes;
    }
  }
  std::printf("setup: settings etag %s, %d short links of %d posts\n",
              updated.etag().c_str(), codes, absl::GetFlag(FLAGS_posts));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "resolve_load: gRPC load on agora-share (see the file's header)");
  absl::ParseCommandLine(argc, argv);
  const std::string mode = absl::GetFlag(FLAGS_mode);
  if (mode == "setup") return Setup();
  if (mode != "resolve") {
    std::fprintf(stderr, "resolve_load: --mode: setup or resolve\n");
    return 2;
  }
  std::vector<std::string> codes = ReadLines(absl::GetFlag(FLAGS_codes_file));
  if (codes.empty() || absl::GetFlag(FLAGS_token).empty()) {
    std::fprintf(stderr, "resolve_load: --codes_file and --token needed\n");
    return 2;
  }
  ResolveLoad load(std::move(codes));
  load.Run(absl::GetFlag(FLAGS_warmup), absl::GetFlag(FLAGS_duration));
  load.Report();
  return 0;
}
