// vote_load: a gRPC load generator for agora-ranking, to measure the
// service end to end as a client sees it (network stack, authentication,
// batcher, PostgreSQL commit, Redis) rather than one function in-process.
//
//   vote_load --target=127.0.0.1:50053 --mode=cast --concurrency=128
//             --duration=20s --tokens_file=tokens.txt --posts=1000
//
// Modes:
//   cast         CastVote, closed loop: `concurrency` calls outstanding, each
//                answered call replaced at once (or, with --rate, calls sent
//                on a fixed schedule, at most `concurrency` outstanding).
//   leaderboard  ListLeaderboard, `--page_size` entries of `--board`.
//   tallies      BatchGetTallies of `--tally_targets` consecutive posts.
//   mixed        leaderboard reads closed loop at `concurrency`, plus votes
//                sent on a fixed schedule of `--vote_rate` per second (at
//                most `--vote_concurrency` outstanding); reported apart.
//   settings     UpdateVoteSettings with `--token` (a tenant admin), to lift
//                the per-member vote rate limits before a run.
//
// Votes: call k is cast by member k mod M (M tokens, one member each), on
// one of `--posts_per_member` posts of that member's stripe, UP on even
// passes over the stripe and DOWN on odd ones, so after the first pass
// every vote changes the stored one (and one member's consecutive votes on
// one post are M × posts_per_member calls apart: never in flight together).
// The response's `changed` is counted: "unchanged" should stay 0 on a fresh
// table.
//
// Latency is measured from the moment the call was due (its start in
// closed loop, its scheduled time with a rate) to its completion, so a
// generator that falls behind its schedule shows it in the figures. Only
// calls that complete inside the measured window (after --warmup) count.
#include <grpcpp/grpcpp.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <random>
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
#include "agora/ranking/v1/ranking.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50053", "host:port of the service");
ABSL_FLAG(std::string, mode, "cast",
          "cast, leaderboard, tallies, mixed or settings");
ABSL_FLAG(int, concurrency, 64, "Calls outstanding at once");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(20),
          "Measured window, after the warm-up");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(3),
          "Load sent but not measured before the window");
ABSL_FLAG(int, channels, 4, "gRPC channels (one TCP connection each)");
ABSL_FLAG(int, threads, 2, "Completion-queue threads of the generator");
ABSL_FLAG(std::string, tokens_file, "",
          "Bearer tokens, one per line, one member each");
ABSL_FLAG(std::string, token, "", "Bearer token of --mode=settings");
ABSL_FLAG(bool, anonymous_reads, false,
          "Send leaderboard and tally reads without a token");
ABSL_FLAG(std::string, tenant, "fr", "Tenant id");
ABSL_FLAG(int, posts, 1000, "Posts p1..pN exist (published)");
ABSL_FLAG(std::string, post_prefix, "p", "Post ids are <prefix><number>");
ABSL_FLAG(int, posts_per_member, 8,
          "Posts each member votes on, in turn (see the header)");
ABSL_FLAG(bool, request_ids, true,
          "Send a request_id (UUID) with every vote, as retrying clients do");
ABSL_FLAG(double, rate, 0,
          "cast/leaderboard/tallies: calls per second on a fixed schedule "
          "(0: closed loop)");
ABSL_FLAG(double, vote_rate, 2000, "mixed: votes per second");
ABSL_FLAG(int, vote_concurrency, 128, "mixed: most votes outstanding");
ABSL_FLAG(std::string, board, "HOT", "Leaderboard: HOT, BEST, TOP ...");
ABSL_FLAG(int, page_size, 50, "Leaderboard entries per call");
ABSL_FLAG(int, tally_targets, 50, "Posts per BatchGetTallies call");
ABSL_FLAG(absl::Duration, deadline, absl::Seconds(10), "Deadline of a call");
ABSL_FLAG(int, max_votes_per_minute, 600, "settings: per member");
ABSL_FLAG(int, max_votes_per_day, 100000, "settings: per member");

namespace {

namespace v1 = agora::ranking::v1;
namespace common = agora::common::v1;

int64_t NowNanos() { return absl::GetCurrentTimeNanos(); }

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

enum class Kind { kCast, kLeaderboard, kTallies };

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kCast:
      return "cast";
    case Kind::kLeaderboard:
      return "leaderboard";
    case Kind::kTallies:
      return "tallies";
  }
  return "?";
}

// What one completion-queue thread observed for one stream of calls.
struct Observed {
  std::vector<int64_t> latencies_ns;  // successful calls
  std::map<int, int64_t> codes;       // every call, by status code
  std::map<int, std::string> first_message;
  int64_t unchanged = 0;  // votes answered changed = false
};

struct Stream;

// One outstanding call slot; reused, with a fresh ClientContext per call.
struct Call {
  Stream* stream = nullptr;
  int queue = 0;  // completion queue (and thread) it completes on
  int64_t due_ns = 0;
  std::unique_ptr<grpc::ClientContext> context;
  grpc::Status status;
  v1::CastVoteRequest cast_request;
  v1::CastVoteResponse cast_response;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::CastVoteResponse>>
      cast_reader;
  v1::ListLeaderboardRequest board_request;
  v1::ListLeaderboardResponse board_response;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::ListLeaderboardResponse>>
      board_reader;
  v1::BatchGetTalliesRequest tally_request;
  v1::BatchGetTalliesResponse tally_response;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::BatchGetTalliesResponse>>
      tally_reader;
};

// A stream of calls of one kind: closed loop (each answer starts the next
// call) or paced (a pacer thread starts calls on a schedule from a pool of
// free slots).
struct Stream {
  Kind kind = Kind::kCast;
  double rate = 0;  // 0: closed loop
  std::vector<std::unique_ptr<Call>> calls;
  std::atomic<uint64_t> sequence{0};
  absl::Mutex mu;
  std::vector<Call*> free ABSL_GUARDED_BY(mu);
  std::vector<Observed> observed;  // one per thread
  int64_t late_starts = 0;         // paced: sent > 1 ms after due (pacer)
};

std::vector<std::string> ReadTokens(const std::string& path) {
  std::vector<std::string> tokens;
  if (path.empty()) return tokens;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view token = absl::StripAsciiWhitespace(line);
    if (!token.empty()) tokens.emplace_back(token);
  }
  return tokens;
}

std::string NewUuid(std::mt19937_64& random) {
  const uint64_t high = random(), low = random();
  std::string hex = absl::StrFormat("%016x%016x", high, low);
  hex[12] = '4';
  hex[16] = "89ab"[low % 4];
  return absl::StrCat(hex.substr(0, 8), "-", hex.substr(8, 4), "-",
                      hex.substr(12, 4), "-", hex.substr(16, 4), "-",
                      hex.substr(20, 12));
}

class LoadGenerator {
 public:
  LoadGenerator() {
    tokens_ = ReadTokens(absl::GetFlag(FLAGS_tokens_file));
    const int channels = std::max(1, absl::GetFlag(FLAGS_channels));
    for (int i = 0; i < channels; ++i) {
      grpc::ChannelArguments args;
      // Distinct arguments give each channel its own subchannel, hence its
      // own connection, instead of sharing one per target.
      args.SetInt("agora.bench.channel", i);
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      stubs_.push_back(v1::RankingService::NewStub(
          grpc::CreateCustomChannel(absl::GetFlag(FLAGS_target),
                                    grpc::InsecureChannelCredentials(), args)));
    }
    const int threads = std::max(1, absl::GetFlag(FLAGS_threads));
    for (int i = 0; i < threads; ++i) {
      queues_.push_back(std::make_unique<grpc::CompletionQueue>());
    }
  }

  bool has_tokens() const { return !tokens_.empty(); }
  void set_board(v1::Board board) { board_ = board; }

  // Adds a stream of `slots` call slots.
  Stream& AddStream(Kind kind, int slots, double rate) {
    streams_.push_back(std::make_unique<Stream>());
    Stream& stream = *streams_.back();
    stream.kind = kind;
    stream.rate = rate;
    stream.observed.resize(queues_.size());
    for (int i = 0; i < std::max(1, slots); ++i) {
      auto call = std::make_unique<Call>();
      call->stream = &stream;
      call->queue = static_cast<int>(next_slot_++ % queues_.size());
      stream.calls.push_back(std::move(call));
    }
    absl::MutexLock lock(&stream.mu);
    for (auto& call : stream.calls) stream.free.push_back(call.get());
    return stream;
  }

  // Runs the warm-up and the measured window; fills each stream's observed.
  void Run(absl::Duration warmup, absl::Duration duration) {
    const int64_t start = NowNanos();
    window_start_ns_ = start + absl::ToInt64Nanoseconds(warmup);
    window_end_ns_ = window_start_ns_ + absl::ToInt64Nanoseconds(duration);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < queues_.size(); ++i) {
      threads.emplace_back([this, i] { Drain(static_cast<int>(i)); });
    }
    std::vector<std::thread> pacers;
    for (auto& stream : streams_) {
      if (stream->rate > 0) {
        pacers.emplace_back(
            [this, s = stream.get(), start] { Pace(*s, start); });
        continue;
      }
      std::vector<Call*> slots;
      {
        absl::MutexLock lock(&stream->mu);
        slots.swap(stream->free);
      }
      for (Call* call : slots) {
        call->due_ns = NowNanos();
        Start(*call);
      }
    }
    absl::SleepFor(absl::Nanoseconds(window_start_ns_ - NowNanos()));
    cpu_start_ = CpuSeconds();
    absl::SleepFor(absl::Nanoseconds(window_end_ns_ - NowNanos()));
    cpu_seconds_ = CpuSeconds() - cpu_start_;
    stopping_.store(true);
    for (auto& stream : streams_) {
      absl::MutexLock lock(&stream->mu);  // wakes a pacer waiting for a slot
    }
    for (std::thread& pacer : pacers) pacer.join();
    // Outstanding calls finish (within their deadline), then the queues.
    while (outstanding_.load() > 0) absl::SleepFor(absl::Milliseconds(5));
    for (auto& queue : queues_) queue->Shutdown();
    for (std::thread& thread : threads) thread.join();
  }

  double measured_seconds() const {
    return (window_end_ns_ - window_start_ns_) / 1e9;
  }
  double cpu_seconds() const { return cpu_seconds_; }
  const std::vector<std::unique_ptr<Stream>>& streams() const {
    return streams_;
  }

 private:
  const std::string& TokenFor(uint64_t k) const {
    return tokens_[k % tokens_.size()];
  }

  std::string PostName(uint64_t index) const {
    return absl::StrCat("tenants/", absl::GetFlag(FLAGS_tenant), "/posts/",
                        absl::GetFlag(FLAGS_post_prefix), index + 1);
  }

  void Start(Call& call) {
    Stream& stream = *call.stream;
    const uint64_t k = stream.sequence.fetch_add(1);
    call.context = std::make_unique<grpc::ClientContext>();
    call.context->set_deadline(std::chrono::system_clock::now() +
                               absl::ToChronoNanoseconds(deadline_));
    const bool send_token =
        has_tokens() &&
        (stream.kind == Kind::kCast || !absl::GetFlag(FLAGS_anonymous_reads));
    if (send_token) {
      call.context->AddMetadata("authorization",
                                absl::StrCat("Bearer ", TokenFor(k)));
    }
    v1::RankingService::Stub& stub = *stubs_[k % stubs_.size()];
    grpc::CompletionQueue* queue = queues_[call.queue].get();
    const uint64_t posts = std::max(1, absl::GetFlag(FLAGS_posts));
    outstanding_.fetch_add(1);
    switch (stream.kind) {
      case Kind::kCast: {
        const uint64_t members = tokens_.size();
        const uint64_t member = k % members;
        const uint64_t pass = k / members;
        const uint64_t width =
            std::max(1, absl::GetFlag(FLAGS_posts_per_member));
        const uint64_t post = (member * 7919 + pass % width) % posts;
        call.cast_request.Clear();
        call.cast_request.set_target(PostName(post));
        call.cast_request.set_choice((pass / width) % 2 == 0
                                         ? common::VOTE_CHOICE_UP
                                         : common::VOTE_CHOICE_DOWN);
        if (request_ids_) {
          absl::MutexLock lock(&random_mu_);
          call.cast_request.set_request_id(NewUuid(random_));
        }
        call.cast_reader =
            stub.AsyncCastVote(call.context.get(), call.cast_request, queue);
        call.cast_reader->Finish(&call.cast_response, &call.status, &call);
        break;
      }
      case Kind::kLeaderboard: {
        call.board_request.Clear();
        call.board_request.set_parent(
            absl::StrCat("tenants/", absl::GetFlag(FLAGS_tenant)));
        call.board_request.set_board(board_);
        call.board_request.set_page_size(absl::GetFlag(FLAGS_page_size));
        call.board_reader = stub.AsyncListLeaderboard(
            call.context.get(), call.board_request, queue);
        call.board_reader->Finish(&call.board_response, &call.status, &call);
        break;
      }
      case Kind::kTallies: {
        call.tally_request.Clear();
        call.tally_request.set_parent(
            absl::StrCat("tenants/", absl::GetFlag(FLAGS_tenant)));
        const uint64_t first = (k * 37) % posts;
        for (int i = 0; i < absl::GetFlag(FLAGS_tally_targets); ++i) {
          call.tally_request.add_targets(PostName((first + i) % posts));
        }
        call.tally_reader = stub.AsyncBatchGetTallies(
            call.context.get(), call.tally_request, queue);
        call.tally_reader->Finish(&call.tally_response, &call.status, &call);
        break;
      }
    }
  }

  // A completion-queue thread: records each answer, then starts the next
  // call (closed loop) or frees the slot (paced).
  void Drain(int index) {
    grpc::CompletionQueue& queue = *queues_[index];
    void* tag = nullptr;
    bool ok = false;
    while (queue.Next(&tag, &ok)) {
      Call& call = *static_cast<Call*>(tag);
      Stream& stream = *call.stream;
      const int64_t now = NowNanos();
      if (now >= window_start_ns_ && now < window_end_ns_) {
        Observed& observed = stream.observed[index];
        const int code = call.status.error_code();
        ++observed.codes[code];
        if (call.status.ok()) {
          observed.latencies_ns.push_back(now - call.due_ns);
          if (stream.kind == Kind::kCast && !call.cast_response.changed()) {
            ++observed.unchanged;
          }
        } else if (!observed.first_message.contains(code)) {
          observed.first_message[code] = call.status.error_message();
        }
      }
      if (stream.rate > 0 || stopping_.load()) {
        absl::MutexLock lock(&stream.mu);
        stream.free.push_back(&call);
      } else {
        call.due_ns = now;
        Start(call);
      }
      outstanding_.fetch_sub(1);
    }
  }

  // Starts stream's calls at `rate` per second from `start`; a call waits
  // for a free slot when `concurrency` are outstanding, its latency still
  // counted from when it was due.
  void Pace(Stream& stream, int64_t start) {
    const double interval_ns = 1e9 / stream.rate;
    for (uint64_t n = 0;; ++n) {
      const int64_t due = start + static_cast<int64_t>(n * interval_ns);
      const int64_t wait = due - NowNanos();
      if (wait > 0) absl::SleepFor(absl::Nanoseconds(wait));
      Call* call = nullptr;
      {
        absl::MutexLock lock(&stream.mu);
        auto ready = [this, &stream]()
                         ABSL_EXCLUSIVE_LOCKS_REQUIRED(stream.mu) {
                           return stopping_.load() || !stream.free.empty();
                         };
        stream.mu.Await(absl::Condition(&ready));
        if (stopping_.load()) return;
        call = stream.free.back();
        stream.free.pop_back();
      }
      if (NowNanos() - due > 1'000'000) ++stream.late_starts;
      call->due_ns = due;
      Start(*call);
    }
  }

  std::vector<std::string> tokens_;
  std::vector<std::unique_ptr<v1::RankingService::Stub>> stubs_;
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues_;
  std::vector<std::unique_ptr<Stream>> streams_;
  absl::Mutex random_mu_;
  std::mt19937_64 random_ ABSL_GUARDED_BY(random_mu_){0x5eed};
  uint64_t next_slot_ = 0;
  const absl::Duration deadline_ = absl::GetFlag(FLAGS_deadline);
  const bool request_ids_ = absl::GetFlag(FLAGS_request_ids);
  v1::Board board_ = v1::BOARD_HOT;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> outstanding_{0};
  int64_t window_start_ns_ = 0;
  int64_t window_end_ns_ = 0;
  double cpu_start_ = 0;
  double cpu_seconds_ = 0;
};

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

double Percentile(const std::vector<int64_t>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const size_t index = std::min(sorted.size() - 1,
                                static_cast<size_t>(fraction * sorted.size()));
  return sorted[index] / 1e6;
}

// One line of key=value figures per stream (the run script greps them),
// then the first message of each error code.
void Report(const Stream& stream, double seconds, double cpu_seconds) {
  std::vector<int64_t> latencies;
  std::map<int, int64_t> codes;
  std::map<int, std::string> messages;
  int64_t unchanged = 0;
  for (const Observed& observed : stream.observed) {
    latencies.insert(latencies.end(), observed.latencies_ns.begin(),
                     observed.latencies_ns.end());
    for (const auto& [code, count] : observed.codes) codes[code] += count;
    for (const auto& [code, message] : observed.first_message) {
      messages.emplace(code, message);
    }
    unchanged += observed.unchanged;
  }
  std::sort(latencies.begin(), latencies.end());
  int64_t calls = 0, errors = 0;
  std::string error_text;
  for (const auto& [code, count] : codes) {
    calls += count;
    if (code == 0) continue;
    errors += count;
    absl::StrAppend(&error_text, error_text.empty() ? "" : ",", CodeName(code),
                    ":", count);
  }
  std::printf(
      "%s: ok/s=%.0f calls/s=%.0f calls=%" PRId64 " errors=%" PRId64
      " [%s] p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f",
      KindName(stream.kind), latencies.size() / seconds, calls / seconds, calls,
      errors, error_text.c_str(), Percentile(latencies, 0.50),
      Percentile(latencies, 0.90), Percentile(latencies, 0.99),
      Percentile(latencies, 0.999),
      latencies.empty() ? 0.0 : latencies.back() / 1e6);
  if (stream.kind == Kind::kCast) {
    std::printf(" unchanged=%" PRId64, unchanged);
  }
  if (stream.rate > 0) {
    std::printf(" target_rate=%.0f late_starts=%" PRId64, stream.rate,
                stream.late_starts);
  }
  std::printf(" outstanding=%zu generator_cpu=%.2f_cores\n",
              stream.calls.size(), cpu_seconds / seconds);
  for (const auto& [code, message] : messages) {
    std::printf("  %s: %s\n", CodeName(code).c_str(), message.c_str());
  }
}

int UpdateSettings() {
  auto stub = v1::RankingService::NewStub(grpc::CreateChannel(
      absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.AddMetadata("authorization",
                      absl::StrCat("Bearer ", absl::GetFlag(FLAGS_token)));
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  v1::UpdateVoteSettingsRequest request;
  v1::VoteSettings* settings = request.mutable_vote_settings();
  settings->set_name(
      absl::StrCat("tenants/", absl::GetFlag(FLAGS_tenant), "/voteSettings"));
  settings->set_max_votes_per_minute(absl::GetFlag(FLAGS_max_votes_per_minute));
  settings->set_max_votes_per_day(absl::GetFlag(FLAGS_max_votes_per_day));
  request.mutable_update_mask()->add_paths("max_votes_per_minute");
  request.mutable_update_mask()->add_paths("max_votes_per_day");
  v1::VoteSettings response;
  const grpc::Status status =
      stub->UpdateVoteSettings(&context, request, &response);
  if (!status.ok()) {
    std::fprintf(stderr, "vote_load: UpdateVoteSettings: %s: %s\n",
                 CodeName(status.error_code()).c_str(),
                 status.error_message().c_str());
    return 1;
  }
  std::printf("settings: max_votes_per_minute=%d max_votes_per_day=%d\n",
              response.max_votes_per_minute(), response.max_votes_per_day());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "vote_load: gRPC load on agora-ranking (see the file's header)");
  absl::ParseCommandLine(argc, argv);
  const std::string mode = absl::GetFlag(FLAGS_mode);
  if (mode == "settings") return UpdateSettings();

  LoadGenerator load;
  v1::Board board = v1::BOARD_UNSPECIFIED;
  if (!v1::Board_Parse(absl::StrCat("BOARD_", absl::GetFlag(FLAGS_board)),
                       &board)) {
    std::fprintf(stderr, "vote_load: --board: unknown board\n");
    return 2;
  }
  load.set_board(board);
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const double rate = absl::GetFlag(FLAGS_rate);
  if (mode == "cast") {
    load.AddStream(Kind::kCast, concurrency, rate);
  } else if (mode == "leaderboard") {
    load.AddStream(Kind::kLeaderboard, concurrency, rate);
  } else if (mode == "tallies") {
    load.AddStream(Kind::kTallies, concurrency, rate);
  } else if (mode == "mixed") {
    load.AddStream(Kind::kLeaderboard, concurrency, 0);
    load.AddStream(Kind::kCast, absl::GetFlag(FLAGS_vote_concurrency),
                   absl::GetFlag(FLAGS_vote_rate));
  } else {
    std::fprintf(stderr,
                 "vote_load: --mode: cast, leaderboard, tallies, "
                 "mixed or settings\n");
    return 2;
  }
  if ((mode == "cast" || mode == "mixed") && !load.has_tokens()) {
    std::fprintf(stderr, "vote_load: --tokens_file: votes need tokens\n");
    return 2;
  }
  load.Run(absl::GetFlag(FLAGS_warmup), absl::GetFlag(FLAGS_duration));
  for (const auto& stream : load.streams()) {
    Report(*stream, load.measured_seconds(), load.cpu_seconds());
  }
  return 0;
}
