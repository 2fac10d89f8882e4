// StaticKeySource and JwksKeySource.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "libs/auth/jwks.h"
#include "libs/auth/jwks_key_source.h"
#include "libs/auth/static_key_source.h"
#include "tests/libs/auth/test_tokens.h"

namespace agora::auth {
namespace {

using auth_test::KeySetOf;
using auth_test::NewKey;

TEST(StaticKeySourceTest, ServesItsKeysAndRefreshChangesNothing) {
  const Ed25519PrivateKey a = NewKey();
  StaticKeySource source(KeySetOf({&a.public_key()}));
  std::shared_ptr<const KeySet> before = source.Keys();
  ASSERT_NE(before, nullptr);
  EXPECT_NE(before->Find(a.public_key().Thumbprint()), nullptr);
  EXPECT_TRUE(source.Refresh().ok());
  EXPECT_EQ(source.Keys(), before);
}

// A JWKS endpoint under the test's control.
struct FakeEndpoint {
  int fetches = 0;
  absl::StatusOr<std::string> document = std::string(R"({"keys":[]})");
  JwksKeySource::FetchJwks Fetch() {
    return [this] {
      ++fetches;
      return document;
    };
  }
};

TEST(JwksKeySourceTest, StartsEmptyAndFetchesOnlyOnRefresh) {
  FakeEndpoint endpoint;
  const Ed25519PrivateKey a = NewKey();
  endpoint.document = ToJwks(KeySetOf({&a.public_key()}));
  JwksKeySource source(endpoint.Fetch());
  ASSERT_NE(source.Keys(), nullptr);
  EXPECT_TRUE(source.Keys()->empty());
  EXPECT_EQ(endpoint.fetches, 0);

  ASSERT_TRUE(source.Refresh().ok());
  EXPECT_EQ(endpoint.fetches, 1);
  EXPECT_NE(source.Keys()->Find(a.public_key().Thumbprint()), nullptr);
}

TEST(JwksKeySourceTest, RefreshReplacesTheSetButOldSnapshotsStayValid) {
  FakeEndpoint endpoint;
  const Ed25519PrivateKey a = NewKey();
  const Ed25519PrivateKey b = NewKey();
  endpoint.document = ToJwks(KeySetOf({&a.public_key()}));
  JwksKeySource source(endpoint.Fetch());
  ASSERT_TRUE(source.Refresh().ok());
  std::shared_ptr<const KeySet> old = source.Keys();

  // Rotation finished: identity publishes only b.
  endpoint.document = ToJwks(KeySetOf({&b.public_key()}));
  ASSERT_TRUE(source.Refresh().ok());
  EXPECT_EQ(source.Keys()->Find(a.public_key().Thumbprint()), nullptr);
  EXPECT_NE(source.Keys()->Find(b.public_key().Thumbprint()), nullptr);
  // A verifier still holding the old snapshot is unaffected.
  EXPECT_NE(old->Find(a.public_key().Thumbprint()), nullptr);
}

TEST(JwksKeySourceTest, FailedFetchKeepsKeysAndReturnsItsStatus) {
  FakeEndpoint endpoint;
  const Ed25519PrivateKey a = NewKey();
  endpoint.document = ToJwks(KeySetOf({&a.public_key()}));
  JwksKeySource source(endpoint.Fetch());
  ASSERT_TRUE(source.Refresh().ok());

  endpoint.document = absl::UnavailableError("identity down");
  EXPECT_EQ(source.Refresh().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(source.Keys()->Find(a.public_key().Thumbprint()), nullptr);
}

TEST(JwksKeySourceTest, MalformedDocumentKeepsKeys) {
  FakeEndpoint endpoint;
  const Ed25519PrivateKey a = NewKey();
  endpoint.document = ToJwks(KeySetOf({&a.public_key()}));
  JwksKeySource source(endpoint.Fetch());
  ASSERT_TRUE(source.Refresh().ok());

  endpoint.document = std::string(R"({"keys":"oops"})");
  EXPECT_EQ(source.Refresh().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(source.Keys()->Find(a.public_key().Thumbprint()), nullptr);
}

TEST(JwksKeySourceTest, NoFetchFunctionIsAnError) {
  JwksKeySource source(nullptr);
  EXPECT_EQ(source.Refresh().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(source.Keys()->empty());
}

TEST(JwksKeySourceTest, ReadersAndRefreshersRaceSafely) {
  // Run under ThreadSanitizer/AddressSanitizer this catches unguarded swaps.
  const Ed25519PrivateKey a = NewKey();
  const std::string document = ToJwks(KeySetOf({&a.public_key()}));
  JwksKeySource source(
      [&document]() -> absl::StatusOr<std::string> { return document; });
  ASSERT_TRUE(source.Refresh().ok());
  const std::string kid = a.public_key().Thumbprint();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&source, &kid, t] {
      for (int i = 0; i < 200; ++i) {
        if (t % 2 == 0) {
          EXPECT_TRUE(source.Refresh().ok());
        } else {
          EXPECT_NE(source.Keys()->Find(kid), nullptr);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
}

}  // namespace
}  // namespace agora::auth
