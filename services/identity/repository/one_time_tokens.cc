#include "services/identity/repository/one_time_tokens.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/secret_tokens.h"

namespace agora::identity {

std::string CreateOneTimeToken(pqxx::transaction_base& tx,
                               absl::string_view purpose,
                               absl::string_view tenant,
                               absl::string_view member, absl::Time expire_time,
                               const nlohmann::json& payload) {
  tx.exec_params(
      "UPDATE one_time_tokens SET used_time = now()"
      " WHERE member = $1::uuid AND purpose = $2 AND used_time IS NULL",
      std::string(member), std::string(purpose));
  const std::string token = NewSecretToken();
  tx.exec_params(
      "INSERT INTO one_time_tokens (token_hash, purpose, tenant, member,"
      " payload, expire_time)"
      " VALUES ($1, $2, $3, $4::uuid, $5::jsonb, to_timestamp($6::float8 / "
      "1e6))",
      pqxx::binarystring(HashSecretToken(token)), std::string(purpose),
      std::string(tenant), std::string(member),
      payload.is_null() ? std::string("{}") : payload.dump(),
      absl::ToUnixMicros(expire_time));
  return token;
}

namespace {

absl::StatusOr<ConsumedToken> FindLiveToken(pqxx::transaction_base& tx,
                                            absl::string_view field,
                                            absl::string_view purpose,
                                            absl::string_view tenant,
                                            absl::string_view token,
                                            bool consume) {
  const auto expired_or_used = [&] {
    return status::WithReason(
        absl::InvalidArgumentError(
            absl::StrCat(field, ": the link has expired or was already used")),
        "TOKEN_EXPIRED_OR_USED");
  };
  if (!ValidateSecretTokenFormat(field, token).ok()) return expired_or_used();
  const pqxx::result rows = tx.exec_params(
      consume ? "UPDATE one_time_tokens SET used_time = now()"
                " WHERE token_hash = $1 AND purpose = $2 AND tenant = $3"
                "   AND used_time IS NULL AND expire_time > now()"
                " RETURNING member::text, payload::text"
              : "SELECT member::text, payload::text FROM one_time_tokens"
                " WHERE token_hash = $1 AND purpose = $2 AND tenant = $3"
                "   AND used_time IS NULL AND expire_time > now()",
      pqxx::binarystring(HashSecretToken(token)), std::string(purpose),
      std::string(tenant));
  if (rows.empty()) return expired_or_used();
  ConsumedToken consumed;
  consumed.member = rows[0][0].as<std::string>();
  consumed.payload =
      nlohmann::json::parse(rows[0][1].as<std::string>(), nullptr, false);
  return consumed;
}

}  // namespace

absl::StatusOr<ConsumedToken> ConsumeOneTimeToken(pqxx::transaction_base& tx,
                                                  absl::string_view field,
                                                  absl::string_view purpose,
                                                  absl::string_view tenant,
                                                  absl::string_view token) {
  return FindLiveToken(tx, field, purpose, tenant, token, true);
}

absl::StatusOr<ConsumedToken> PeekOneTimeToken(pqxx::transaction_base& tx,
                                               absl::string_view field,
                                               absl::string_view purpose,
                                               absl::string_view tenant,
                                               absl::string_view token) {
  return FindLiveToken(tx, field, purpose, tenant, token, false);
}

}  // namespace agora::identity
