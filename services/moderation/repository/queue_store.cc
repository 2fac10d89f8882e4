#include "services/moderation/repository/queue_store.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "libs/events/event_record.h"
#include "services/moderation/repository/uuid.h"

namespace agora::moderation {
namespace {

using google::protobuf::util::TimeUtil;

// Highest first: risk, flags (weighted), age (a point a minute, up to 30),
// escalations and appeals first, overdue items first.
constexpr char kPriority[] =
    "(risk_score + LEAST(40, (flag_weight * 10)::int)"
    " + LEAST(30, (extract(epoch FROM now() - create_time) / 60)::int)"
    " + CASE source WHEN 5 THEN 30 WHEN 4 THEN 10 ELSE 0 END"
    " + CASE WHEN due_time < now() THEN 20 ELSE 0 END)";

std::string Columns() {
  return absl::StrCat(
      "SELECT id::text, target_name, target_kind, space, author, source, "
      "state, risk_score,"
      " flag_weight, flag_count, screening_id::text, appeal_id::text, "
      "claimed_by,"
      " (extract(epoch FROM lease_expire_time) * 1000000)::bigint AS "
      "lease_micros,"
      " (extract(epoch FROM due_time) * 1000000)::bigint AS due_micros,"
      " decision_id::text, details, version,"
      " (extract(epoch FROM create_time) * 1000000)::bigint AS create_micros,"
      " (extract(epoch FROM close_time) * 1000000)::bigint AS close_micros, ",
      kPriority, " AS priority FROM queue_items");
}

google::protobuf::Timestamp Micros(const pqxx::field& field) {
  return TimeUtil::MicrosecondsToTimestamp(field.as<int64_t>());
}

v1::QueueItem FromRow(const std::string& tenant, const pqxx::row& row) {
  v1::QueueItem item;
  item.ParseFromString(pqxx::binarystring(row["details"]).str());
  const std::string prefix = absl::StrCat("tenants/", tenant);
  item.set_name(
      absl::StrCat(prefix, "/queueItems/", row["id"].as<std::string>()));
  item.mutable_target()->set_name(row["target_name"].as<std::string>());
  item.mutable_target()->set_kind(static_cast<agora::common::v1::ContentKind>(
      row["target_kind"].as<int>()));
  item.set_space(row["space"].as<std::string>());
  item.set_author(row["author"].as<std::string>());
  item.set_source(static_cast<v1::QueueSource>(row["source"].as<int>()));
  item.set_state(static_cast<v1::QueueItem::State>(row["state"].as<int>()));
  item.set_risk_score(row["risk_score"].as<int>());
  item.set_flag_weight(row["flag_weight"].as<double>());
  item.set_flag_count(row["flag_count"].as<int>());
  item.set_priority(row["priority"].as<int>());
  if (!row["screening_id"].is_null()) {
    item.set_screening(absl::StrCat(prefix, "/screenings/",
                                    row["screening_id"].as<std::string>()));
  }
  if (!row["appeal_id"].is_null()) {
    item.set_appeal(
        absl::StrCat(prefix, "/appeals/", row["appeal_id"].as<std::string>()));
  }
  if (!row["claimed_by"].is_null())
    item.set_claimed_by(row["claimed_by"].as<std::string>());
  if (!row["lease_micros"].is_null()) {
    *item.mutable_lease_expire_time() = Micros(row["lease_micros"]);
  }
  *item.mutable_due_time() = Micros(row["due_micros"]);
  if (!row["decision_id"].is_null()) {
    item.set_decision(absl::StrCat(prefix, "/decisions/",
                                   row["decision_id"].as<std::string>()));
  }
  *item.mutable_create_time() = Micros(row["create_micros"]);
  if (!row["close_micros"].is_null())
    *item.mutable_close_time() = Micros(row["close_micros"]);
  item.set_etag(row["version"].as<std::string>());
  return item;
}

std::string IntArray(const std::vector<int>& values) {
  return absl::StrCat("{", absl::StrJoin(values, ","), "}");
}

// WHERE clause for a filter; parameters $1 tenant, $2.. as listed.
std::string Where(const QueueFilter& filter) {
  std::string where =
      "WHERE tenant = $1 AND ($2::smallint[] = '{}' OR state = "
      "ANY($2::smallint[]))"
      " AND ($3::smallint[] = '{}' OR source = ANY($3::smallint[]))"
      " AND ($4::smallint[] = '{}' OR target_kind = ANY($4::smallint[]))"
      " AND ($5 = '' OR space = $5) AND ($6 = '' OR claimed_by = $6)"
      " AND ($7 = '' OR author = $7) AND ($8 = '' OR target_name = $8)";
  if (filter.overdue_only)
    absl::StrAppend(&where, " AND due_time < now() AND state IN (1, 2)");
  return where;
}

std::string OrderBy(v1::QueueOrder order) {
  switch (order) {
    case v1::QUEUE_ORDER_DUE_TIME:
      return " ORDER BY due_time, id";
    case v1::QUEUE_ORDER_OLDEST:
      return " ORDER BY create_time, id";
    default:
      return absl::StrCat(" ORDER BY ", kPriority, " DESC, create_time, id");
  }
}

std::vector<int> StatesOrOpen(const QueueFilter& filter) {
  return filter.states.empty() ? std::vector<int>{v1::QueueItem::STATE_OPEN,
                                                  v1::QueueItem::STATE_CLAIMED}
                               : filter.states;
}

}  // namespace

absl::StatusOr<v1::QueueItem> InsertOrJoinQueueItem(pqxx::transaction_base& tx,
                                                    const NewQueueItem& item) {
  v1::QueueItem details;
  details.set_title(item.title);
  details.set_body(item.body);
  for (int reason : item.reasons) {
    details.add_reasons(
        static_cast<agora::common::v1::ModerationReason>(reason));
  }
  for (const v1::Finding& finding : item.findings)
    *details.add_findings() = finding;
  const pqxx::binarystring bytes(details.SerializeAsString());
  const std::optional<v1::QueueItem> open =
      FindOpenItemForTarget(tx, item.tenant, item.target.name());
  std::string id;
  if (open) {
    id = open->name().substr(open->name().rfind('/') + 1);
    // Keep the open item: the newest texts and findings (when given), the
    // highest risk, the flags added, the earliest due time.
    tx.exec_params(
        "UPDATE queue_items SET risk_score = GREATEST(risk_score, $3),"
        " flag_weight = flag_weight + $4, flag_count = flag_count + $5,"
        " details = CASE WHEN $6 THEN $7 ELSE details END,"
        " screening_id = COALESCE(NULLIF($8, '')::uuid, screening_id),"
        " due_time = LEAST(due_time, to_timestamp($9::double precision / "
        "1000000)),"
        " version = version + 1 WHERE tenant = $1 AND id = $2",
        item.tenant, id, item.risk_score, item.flag_weight, item.flag_count,
        !item.screening_id.empty(), bytes, item.screening_id,
        absl::ToUnixMicros(item.due_time));
  } else {
    id = events::NewEventId();
    tx.exec_params(
        "INSERT INTO queue_items (tenant, id, target_name, target_kind, space, "
        "author, source,"
        " state, risk_score, flag_weight, flag_count, screening_id, appeal_id, "
        "due_time,"
        " details) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10, "
        "NULLIF($11, '')::uuid,"
        " NULLIF($12, '')::uuid, to_timestamp($13::double precision / "
        "1000000), $14)",
        item.tenant, id, item.target.name(),
        static_cast<int>(item.target.kind()), item.space, item.author,
        static_cast<int>(item.source), item.risk_score, item.flag_weight,
        item.flag_count, item.screening_id, item.appeal_id,
        absl::ToUnixMicros(item.due_time), bytes);
  }
  return *FindQueueItem(tx, item.tenant, id, false);
}

std::optional<v1::QueueItem> FindQueueItem(pqxx::transaction_base& tx,
                                           const std::string& tenant,
                                           const std::string& id,
                                           bool for_update) {
  if (!IsUuid(id))
    return std::nullopt;  // cannot exist; and keeps the cast safe
  const pqxx::result rows = tx.exec_params(
      absl::StrCat(Columns(), " WHERE tenant = $1 AND id = $2::uuid",
                   for_update ? " FOR UPDATE" : ""),
      tenant, id);
  if (rows.empty()) return std::nullopt;
  return FromRow(tenant, rows[0]);
}

std::optional<v1::QueueItem> FindOpenItemForTarget(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& target_name) {
  const pqxx::result rows =
      tx.exec_params(absl::StrCat(Columns(),
                                  " WHERE tenant = $1 AND target_name = $2 AND "
                                  "state IN (1, 2) FOR UPDATE"),
                     tenant, target_name);
  if (rows.empty()) return std::nullopt;
  return FromRow(tenant, rows[0]);
}

QueuePage ListQueue(pqxx::transaction_base& tx, const std::string& tenant,
                    const QueueFilter& filter, int64_t offset, int page_size) {
  const std::string where = Where(filter);
  const pqxx::result rows = tx.exec_params(
      absl::StrCat(Columns(), " ", where, OrderBy(filter.order),
                   " LIMIT $9 OFFSET $10"),
      tenant, IntArray(StatesOrOpen(filter)), IntArray(filter.sources),
      IntArray(filter.kinds), filter.space, filter.claimed_by, filter.author,
      filter.target, page_size + 1, offset);
  QueuePage page;
  for (const pqxx::row& row : rows) {
    if (static_cast<int>(page.items.size()) == page_size) {
      page.next_key = absl::StrCat(offset + page_size);
      break;
    }
    page.items.push_back(FromRow(tenant, row));
  }
  page.total =
      tx.exec_params1(absl::StrCat("SELECT count(*) FROM queue_items ", where),
                      tenant, IntArray(StatesOrOpen(filter)),
                      IntArray(filter.sources), IntArray(filter.kinds),
                      filter.space, filter.claimed_by, filter.author,
                      filter.target)[0]
          .as<int64_t>();
  return page;
}

absl::StatusOr<v1::QueueItem> ClaimItem(pqxx::transaction_base& tx,
                                        const std::string& tenant,
                                        const std::string& id,
                                        const std::string& moderator,
                                        absl::Duration lease) {
  std::optional<v1::QueueItem> item = FindQueueItem(tx, tenant, id, true);
  if (!item) return absl::NotFoundError("queue item not found");
  if (item->state() == v1::QueueItem::STATE_DECIDED ||
      item->state() == v1::QueueItem::STATE_WITHDRAWN) {
    return absl::FailedPreconditionError("queue item: already closed");
  }
  const pqxx::result claimed = tx.exec_params(
      "UPDATE queue_items SET state = 2, claimed_by = $3,"
      " lease_expire_time = now() + make_interval(secs => $4), version = "
      "version + 1"
      " WHERE tenant = $1 AND id = $2::uuid AND (state = 1 OR claimed_by = $3"
      " OR lease_expire_time < now()) RETURNING 1",
      tenant, id, moderator, absl::ToDoubleSeconds(lease));
  if (claimed.empty()) {
    return absl::FailedPreconditionError(
        "queue item: claimed by another moderator");
  }
  return *FindQueueItem(tx, tenant, id, false);
}

absl::StatusOr<v1::QueueItem> ClaimNextItem(pqxx::transaction_base& tx,
                                            const std::string& tenant,
                                            const QueueFilter& filter,
                                            const std::string& moderator,
                                            absl::Duration lease) {
  QueueFilter claimable = filter;
  claimable.states = {v1::QueueItem::STATE_OPEN, v1::QueueItem::STATE_CLAIMED};
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT id::text FROM queue_items ", Where(claimable),
                   " AND (state = 1 OR lease_expire_time < now())",
                   OrderBy(filter.order), " LIMIT 1 FOR UPDATE SKIP LOCKED"),
      tenant, IntArray(claimable.states), IntArray(filter.sources),
      IntArray(filter.kinds), filter.space, std::string(), filter.author,
      filter.target);
  if (rows.empty()) return absl::NotFoundError("no queue item to claim");
  return ClaimItem(tx, tenant, rows[0][0].as<std::string>(), moderator, lease);
}

absl::StatusOr<v1::QueueItem> ReleaseItem(pqxx::transaction_base& tx,
                                          const std::string& tenant,
                                          const std::string& id,
                                          const std::string& moderator,
                                          bool force) {
  std::optional<v1::QueueItem> item = FindQueueItem(tx, tenant, id, true);
  if (!item) return absl::NotFoundError("queue item not found");
  if (item->state() != v1::QueueItem::STATE_CLAIMED) {
    return absl::FailedPreconditionError("queue item: not claimed");
  }
  if (item->claimed_by() != moderator && !force) {
    return absl::PermissionDeniedError(
        "queue item: claimed by another moderator");
  }
  tx.exec_params(
      "UPDATE queue_items SET state = 1, claimed_by = NULL, lease_expire_time "
      "= NULL,"
      " version = version + 1 WHERE tenant = $1 AND id = $2::uuid",
      tenant, id);
  return *FindQueueItem(tx, tenant, id, false);
}

void CloseItem(pqxx::transaction_base& tx, const std::string& tenant,
               const std::string& id, const std::string& decision_id) {
  tx.exec_params(
      "UPDATE queue_items SET state = 3, decision_id = $3::uuid, close_time = "
      "now(),"
      " lease_expire_time = NULL, version = version + 1 WHERE tenant = $1 AND "
      "id = $2::uuid",
      tenant, id, decision_id);
}

void EscalateItem(pqxx::transaction_base& tx, const std::string& tenant,
                  const std::string& id) {
  tx.exec_params(
      "UPDATE queue_items SET state = 1, source = 5, claimed_by = NULL,"
      " lease_expire_time = NULL, version = version + 1 WHERE tenant = $1 AND "
      "id = $2::uuid",
      tenant, id);
}

}  // namespace agora::moderation
