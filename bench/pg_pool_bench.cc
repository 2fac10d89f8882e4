// The PostgreSQL pool: what a lease costs, and a read round trip through the
// pool against the same query on one bare connection (the floor).
// Needs AGORA_BENCH_PG_URL (bench/run sets it).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <pqxx/pqxx>

#include "libs/pg/pool.h"
#include "libs/pg/transaction.h"

namespace {

std::string Url() {
  const char* url = std::getenv("AGORA_BENCH_PG_URL");
  return url == nullptr ? "" : url;
}

agora::pg::ConnectionPool& Pool() {
  static agora::pg::ConnectionPool pool({.conninfo = Url(), .max_size = 8});
  return pool;
}

void BM_AcquireRelease(benchmark::State& state) {
  (void)Pool().Ping();  // warm: one open connection
  for (auto _ : state) {
    absl::StatusOr<agora::pg::Lease> lease = Pool().Acquire();
    benchmark::DoNotOptimize(lease.ok());
  }
}
BENCHMARK(BM_AcquireRelease)->Threads(1)->Threads(4)->UseRealTime();

void BM_PooledSelect(benchmark::State& state) {
  for (auto _ : state) {
    absl::StatusOr<agora::pg::Lease> lease = Pool().Acquire();
    pqxx::nontransaction tx(**lease);
    benchmark::DoNotOptimize(tx.exec1("SELECT 1")[0].as<int>());
  }
}
BENCHMARK(BM_PooledSelect)->Threads(1)->Threads(4)->UseRealTime();

void BM_PooledTransaction(benchmark::State& state) {
  for (auto _ : state) {
    absl::Status status =
        agora::pg::RunTransaction(Pool(), [](pqxx::transaction_base& tx) {
          benchmark::DoNotOptimize(tx.exec1("SELECT 1")[0].as<int>());
          return absl::OkStatus();
        });
    if (!status.ok()) state.SkipWithError("transaction failed");
  }
}
BENCHMARK(BM_PooledTransaction)->Threads(1)->Threads(4)->UseRealTime();

void BM_BareConnectionSelect(benchmark::State& state) {
  pqxx::connection connection(Url());
  for (auto _ : state) {
    pqxx::nontransaction tx(connection);
    benchmark::DoNotOptimize(tx.exec1("SELECT 1")[0].as<int>());
  }
}
BENCHMARK(BM_BareConnectionSelect)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
