// Moderation's screening as content uses it: every create and edit is
// screened before anything is stored, and only the masked text is kept.
//
// Moderation may not answer in time (down, overloaded, deadline of about
// 200 ms passed). The post is then held — never published unscreened — and
// its text is masked here with moderation's own detectors (the pure
// screening engine, linked as a library, without the tenant's rules), so
// that no card number or IBAN is stored even then. The held post is
// screened again later (Rescreen) and moderation's queue decides it.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_SCREENING_CLIENT_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_SCREENING_CLIENT_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agora/moderation/v1/moderation.grpc.pb.h"
#include "libs/service_tokens/service_token_source.h"

namespace agora::moderation::screening {
class Screener;
class CompiledTenantRules;
}  // namespace agora::moderation::screening

namespace agora::content {

// Tokens carrying scope moderation.screen, per tenant.
using service_tokens::ServiceTokenSource;

// What screening decided about one text.
struct ScreeningOutcome {
  // True when moderation answered; false when the local fallback masked the
  // texts and the verdict is HOLD.
  bool answered = false;
  // Moderation's answer; on fallback: verdict HOLD, masked_title,
  // masked_body and masked_extra_texts from the local detectors.
  moderation::v1::Screening screening;
};

class ScreeningClient {
 public:
  // `stub` may be null (no moderation configured): every post is then held
  // with the local masking. `deadline` bounds each Screen call.
  ScreeningClient(
      std::unique_ptr<moderation::v1::ModerationService::StubInterface> stub,
      ServiceTokenSource tokens, absl::Duration deadline);
  ~ScreeningClient();

  // Never fails: moderation's answer, or the fallback. INVALID_ARGUMENT from
  // moderation (a field it refuses) is returned as is: it is the caller's
  // input that is wrong.
  absl::StatusOr<ScreeningOutcome> Screen(
      const moderation::v1::ScreenRequest& request);

  // `text` with its personal data masked by the local detectors, for texts
  // staff write that moderation does not review (official responses).
  std::string Mask(const std::string& text, const std::string& language) const;

 private:
  ScreeningOutcome Fallback(const moderation::v1::ScreenRequest& request) const;

  std::unique_ptr<moderation::v1::ModerationService::StubInterface> stub_;
  ServiceTokenSource tokens_;
  absl::Duration deadline_;
  std::unique_ptr<moderation::screening::Screener> screener_;
  std::shared_ptr<const moderation::screening::CompiledTenantRules> rules_;
};

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_SCREENING_CLIENT_H_
