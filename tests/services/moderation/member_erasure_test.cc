#include "services/moderation/domain/member_erasure.h"

#include <gtest/gtest.h>

#include "libs/events/event_record.h"
#include "libs/pg/transaction.h"
#include "services/moderation/domain/flags.h"
#include "tests/services/moderation/moderation_fixture.h"
#include "tests/services/moderation/moderation_test_util.h"

namespace agora::moderation {
namespace {

class MemberErasureTest : public ModerationTest {};

TEST_F(MemberErasureTest, FlagsOfTheErasedMemberKeepNoTraceOfThem) {
  v1::CreateFlagRequest request;
  request.set_parent("tenants/fr");
  request.mutable_flag()->mutable_target()->set_name("tenants/fr/posts/e1");
  request.mutable_flag()->set_reason(v1::FLAG_REASON_ABUSE);
  request.mutable_flag()->set_comment("Il a écrit mon nom, Jeanne Martin.");
  ASSERT_TRUE(CreateFlag(context(), Member("fr", "jeanne"), request).ok());
  request.mutable_flag()->set_comment("Hors sujet.");
  ASSERT_TRUE(CreateFlag(context(), Member("fr", "paul"), request).ok());

  agora::events::v1::Event event;
  event.set_id(events::NewEventId());
  event.set_tenant("tenants/fr");
  event.mutable_member_erased()->set_member("tenants/fr/members/jeanne");
  ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                return ApplyMemberErased(context(), tx, event);
              }).ok());
  EXPECT_EQ(
      CountRows(database_url(),
                "SELECT count(*) FROM flags WHERE reporter LIKE '%jeanne%'"
                " OR comment LIKE '%Jeanne%'"),
      0);
  EXPECT_EQ(CountRows(database_url(), "SELECT count(*) FROM flags"), 2)
      << "flags stay";
  EXPECT_EQ(CountRows(database_url(),
                      "SELECT count(*) FROM flags WHERE reporter = "
                      "'tenants/fr/members/paul'"),
            1)
      << "other members untouched";
}

}  // namespace
}  // namespace agora::moderation
