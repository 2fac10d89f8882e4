// What the content domain works with: PostgreSQL, the outbox, moderation's
// screening, ranking's leaderboards and the clock. Built once in main (or a
// test fixture) and shared by every handler thread.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_CONTENT_CONTEXT_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_CONTENT_CONTEXT_H_

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "agora/ranking/v1/ranking.grpc.pb.h"
#include "libs/events/outbox.h"
#include "libs/pg/pool.h"
#include "services/content/domain/screening_client.h"

namespace agora::content {

struct ContentContext {
  pg::ConnectionPool& pool;
  // Moderation's Screen, with the local fallback masking when it does not
  // answer (screening_client.h).
  ScreeningClient& screening;
  // Ranking's leaderboards for the hot, best, top and most-commented
  // orders of ListPosts (public reads: called without a token); null when
  // ranking is not configured (those orders are then UNAVAILABLE).
  ranking::v1::RankingService::StubInterface* ranking = nullptr;
  absl::Duration ranking_deadline = absl::Milliseconds(500);
  events::Outbox outbox{"content"};
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_CONTENT_CONTEXT_H_
