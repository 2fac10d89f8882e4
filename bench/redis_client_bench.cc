// The Redis client: single commands through the pool, a pipeline of 100, and
// a Lua script by SHA. Needs AGORA_BENCH_REDIS_ADDR (bench/run sets it).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <vector>

#include "libs/redis/client.h"

namespace {

agora::redis::RedisClient& Client() {
  static agora::redis::RedisClient client([] {
    const char* address = std::getenv("AGORA_BENCH_REDIS_ADDR");
    absl::StatusOr<agora::redis::RedisOptions> options =
        agora::redis::ParseAddress(address == nullptr ? "" : address);
    return options.ok() ? *options : agora::redis::RedisOptions{};
  }());
  return client;
}

void BM_Ping(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Client().Ping().ok());
}
BENCHMARK(BM_Ping)->Threads(1)->Threads(4)->UseRealTime();

void BM_Set(benchmark::State& state) {
  const std::string key =
      "bench:{b}:set:" + std::to_string(state.thread_index());
  for (auto _ : state)
    benchmark::DoNotOptimize(Client().Run({"SET", key, "value"}).ok());
}
BENCHMARK(BM_Set)->Threads(1)->Threads(4)->UseRealTime();

void BM_Pipeline100Incr(benchmark::State& state) {
  std::vector<agora::redis::Command> commands(100,
                                              {"INCR", "bench:{b}:counter"});
  for (auto _ : state)
    benchmark::DoNotOptimize(Client().Pipeline(commands).ok());
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_Pipeline100Incr)->UseRealTime();

void BM_EvalSha(benchmark::State& state) {
  static const agora::redis::LuaScript script(
      "return redis.call('ZINCRBY', KEYS[1], ARGV[1], ARGV[2])");
  const std::vector<std::string> keys = {"bench:{b}:board"};
  const std::vector<std::string> args = {"1", "post-1"};
  for (auto _ : state)
    benchmark::DoNotOptimize(Client().Eval(script, keys, args).ok());
}
BENCHMARK(BM_EvalSha)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
