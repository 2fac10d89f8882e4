#include "services/moderation/screening/phone_numbering_plans.h"

namespace agora::moderation::screening {
namespace {

// Simplified shapes of each country's national numbering plan (leading
// digits and lengths), not allocations: a number of the right shape is
// masked even if it is not in service. Variable-length plans (DE, AT, LU
// landlines) are only recognised after their country code.
constexpr NumberingPlan kPlans[] = {
    {"FR", "33", true, R"([1-79]\d{8})", R"(0[1-79]\d{8})", R"(0[1-79]\d{8})",
     4},
    {"BE", "32", true, R"(4[5-9]\d{7}|[1-35-9]\d{7})",
     R"(04[5-9]\d{7}|0[1-35-9]\d{7})", R"(04[5-9]\d{7})", 4},
    {"NL", "31", true, R"([1-7]\d{8}|8[58]\d{7}|91\d{7})",
     R"(0[1-7]\d{8}|08[58]\d{7}|091\d{7})", R"(06\d{8})", 8},
    {"DE", "49", true, R"(1[5-7]\d{8,9}|[2-9]\d{5,11})", R"(01[5-7]\d{8,9})",
     R"(01[5-7]\d{8,9})", 8},
    {"IT", "39", false, R"(3\d{8,9}|0\d{5,10})", R"(3\d{8,9}|0\d{8,10})",
     R"(3\d{9})", 8},
    {"ES", "34", false, R"([6-9]\d{8})", R"([6-9]\d{8})", R"([67]\d{8})", 3},
    {"PL", "48", false, R"([1-9]\d{8})", R"([1-9]\d{8})",
     R"((?:45|5[0137]|6[069]|7[2389]|88)\d{7})", 3},
    {"PT", "351", false, R"([29]\d{8})", R"([29]\d{8})", R"(9[1236]\d{7})", 3},
    {"AT", "43", true, R"(6[5-9]\d{7,10}|[1-57-9]\d{5,11})",
     R"(06[5-9]\d{7,10})", R"(06[5-9]\d{7,10})", 8},
    {"CH", "41", true, R"([2-9]\d{8})", R"(0[2-9]\d{8})", R"(07[5-9]\d{7})", 3},
    {"LU", "352", false, R"(6[269]1\d{6}|[2-9]\d{5,8})", R"(6[269]1\d{6})",
     R"(6[269]1\d{6})", 3},
    {"GB", "44", true, R"(7\d{9}|[1-35-9]\d{8,9})",
     R"(07\d{9}|0[1-35-9]\d{8,9})", R"(07\d{9})", 6},
    {"IE", "353", true, R"(8[3-9]\d{7}|[1-9]\d{6,8})", R"(08[3-9]\d{7})",
     R"(08[3-9]\d{7})", 7},
};

}  // namespace

absl::Span<const NumberingPlan> NumberingPlans() { return kPlans; }

}  // namespace agora::moderation::screening
