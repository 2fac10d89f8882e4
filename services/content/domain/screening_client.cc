#include "services/content/domain/screening_client.h"

#include <grpcpp/client_context.h>

#include <utility>

#include "libs/logging/log.h"
#include "libs/status/grpc_status.h"
#include "services/moderation/screening/compiled_tenant_rules.h"
#include "services/moderation/screening/screener.h"
#include "services/moderation/screening/screening_input.h"
#include "services/moderation/screening/tenant_config.h"

namespace agora::content {
namespace {

namespace screening = agora::moderation::screening;

// Every country whose identifiers the detectors know: the fallback masks
// more rather than less (it runs only when moderation is out of reach).
screening::TenantScreeningConfig FallbackConfig() {
  screening::TenantScreeningConfig config;
  config.countries = {"FR", "IT", "PL", "NL", "BE", "ES"};
  return config;
}

}  // namespace

ScreeningClient::ScreeningClient(
    std::unique_ptr<moderation::v1::ModerationService::StubInterface> stub,
    ServiceTokenSource tokens, absl::Duration deadline)
    : stub_(std::move(stub)),
      tokens_(std::move(tokens)),
      deadline_(deadline),
      screener_(std::make_unique<screening::Screener>()) {
  absl::StatusOr<std::shared_ptr<const screening::CompiledTenantRules>> rules =
      screening::CompileTenantRules(FallbackConfig());
  if (!rules.ok()) {
    // Built-in detectors only: failing here is a build defect.
    logging::Error("content: fallback screening rules do not compile",
                   {{"error", rules.status().ToString()}});
    std::abort();
  }
  rules_ = *std::move(rules);
}

ScreeningClient::~ScreeningClient() = default;

absl::StatusOr<ScreeningOutcome> ScreeningClient::Screen(
    const moderation::v1::ScreenRequest& request) {
  if (stub_ == nullptr) return Fallback(request);
  const std::string tenant =
      request.parent().substr(request.parent().find('/') + 1);
  absl::StatusOr<std::string> token = tokens_(tenant);
  if (!token.ok()) {
    logging::Warn("content: no service token for screening",
                  {{"tenant", tenant}, {"error", token.status().ToString()}});
    return Fallback(request);
  }
  grpc::ClientContext call;
  call.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
  call.AddMetadata("authorization", "Bearer " + *token);
  ScreeningOutcome outcome;
  const grpc::Status status = stub_->Screen(&call, request, &outcome.screening);
  if (status.ok()) {
    outcome.answered = true;
    return outcome;
  }
  if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
    return status::FromGrpcStatus(status);
  }
  logging::Warn("content: screening did not answer; holding the post",
                {{"tenant", tenant},
                 {"code", std::to_string(status.error_code())},
                 {"error", status.error_message()}});
  return Fallback(request);
}

std::string ScreeningClient::Mask(const std::string& text,
                                  const std::string& language) const {
  screening::ScreeningInput input;
  input.language = language;
  input.author_is_staff = true;
  input.texts.push_back({"text", text});
  return screener_->Screen(input, *rules_).masked_texts[0].text;
}

ScreeningOutcome ScreeningClient::Fallback(
    const moderation::v1::ScreenRequest& request) const {
  screening::ScreeningInput input;
  input.language = request.language();
  input.space = request.space();
  input.texts.push_back({"title", request.title()});
  input.texts.push_back({"body", request.body()});
  for (const moderation::v1::ScreenedText& extra : request.extra_texts()) {
    input.texts.push_back({extra.field(), extra.text()});
  }
  const screening::ScreeningResult result = screener_->Screen(input, *rules_);
  ScreeningOutcome outcome;
  outcome.answered = false;
  moderation::v1::Screening& screening = outcome.screening;
  *screening.mutable_target() = request.target();
  screening.set_verdict(common::v1::MODERATION_VERDICT_HOLD);
  screening.set_masked_title(result.masked_texts[0].text);
  screening.set_masked_body(result.masked_texts[1].text);
  for (size_t i = 2; i < result.masked_texts.size(); ++i) {
    moderation::v1::ScreenedText* extra = screening.add_masked_extra_texts();
    extra->set_field(result.masked_texts[i].field);
    extra->set_text(result.masked_texts[i].text);
  }
  screening.set_risk_score(result.risk_score);
  return outcome;
}

}  // namespace agora::content
