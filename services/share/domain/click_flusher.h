// Carries clicks from Redis to PostgreSQL, per tenant, periodically and on
// shutdown. A flush seals Redis' counters into a batch (renamed keys, so
// clicks keep landing in fresh ones), then in one PostgreSQL transaction
// adds the batch's counters — once: the batch id is recorded with them, so
// a flush retried after its commit adds nothing again — announces the
// clicks (link_clicked), first human clicks (post_shared) and milestones
// (share_milestone_reached) through the outbox, and merges every touched
// HyperLogLog sketch with PostgreSQL's copy (a union: idempotent, and after
// a Redis restart it puts the lost registers back). Only then is the
// sealed batch released. A Redis restart loses only what was not flushed.
#ifndef AGORA_SERVICES_SHARE_DOMAIN_CLICK_FLUSHER_H_
#define AGORA_SERVICES_SHARE_DOMAIN_CLICK_FLUSHER_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/share/domain/share_context.h"

namespace agora::share {

struct FlushStats {
  int64_t counters = 0;    // pending counter fields flushed
  int64_t clicks = 0;      // human click records
  int64_t sketches = 0;    // sketches merged
  int64_t events = 0;      // events written to the outbox
  bool reapplied = false;  // the batch had been applied before
};

struct FlushOptions {
  // False leaves the sealed batch in Redis after the commit, as a crash
  // between commit and release would (tests use it).
  bool release = true;
};

absl::StatusOr<FlushStats> FlushTenant(ShareContext& context,
                                       const std::string& tenant,
                                       const FlushOptions& options = {});

// Every tenant share knows; the first error is returned after all ran.
absl::StatusOr<FlushStats> FlushAll(ShareContext& context);

class ClickFlusher {
 public:
  ClickFlusher(ShareContext& context, absl::Duration interval)
      : context_(context), interval_(interval) {}
  ClickFlusher(const ClickFlusher&) = delete;
  ClickFlusher& operator=(const ClickFlusher&) = delete;
  ~ClickFlusher() { Stop(); }

  void Start();
  // Stops the thread after one last flush.
  void Stop();

 private:
  void Loop();

  ShareContext& context_;
  const absl::Duration interval_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_CLICK_FLUSHER_H_
