#include "services/ranking/formulas/confidence.h"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/policies/policy.hpp>
#include <limits>

namespace agora::ranking::formulas {
namespace {

// Errors as values (errno and NaN/infinity), not exceptions: the service
// never lets a bad confidence reach here, and a stray one must not unwind.
using NoThrowPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::errno_on_error>,
    boost::math::policies::overflow_error<
        boost::math::policies::errno_on_error>>;

}  // namespace

double ZForConfidence(double confidence) {
  if (!(confidence > 0 && confidence < 1)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const boost::math::normal_distribution<double, NoThrowPolicy> standard;
  return boost::math::quantile(standard, 1 - (1 - confidence) / 2);
}

}  // namespace agora::ranking::formulas
