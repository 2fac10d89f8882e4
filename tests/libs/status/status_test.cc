#include <gtest/gtest.h>

#include "libs/status/error_details.h"
#include "libs/status/grpc_status.h"
#include "libs/status/protobuf_status.h"

namespace agora::status {
namespace {

TEST(StatusTest, AbslToGrpcKeepsCodeAndMessage) {
  grpc::Status status =
      ToGrpcStatus(absl::InvalidArgumentError("title: at most 200 characters"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "title: at most 200 characters");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_EQ(ToGrpcStatus(absl::UnauthenticatedError("x")).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST(StatusTest, GrpcToAbslRoundTripsEveryCode) {
  for (int code = 0; code <= 16; ++code) {
    const absl::Status original(static_cast<absl::StatusCode>(code),
                                code ? "m" : "");
    EXPECT_EQ(FromGrpcStatus(ToGrpcStatus(original)), original) << code;
  }
}

TEST(StatusTest, ProtobufUtilStatusIsAdapted) {
  const google::protobuf::util::Status invalid(
      google::protobuf::util::StatusCode::kInvalidArgument,
      "unknown field \"x\"");
  EXPECT_EQ(FromProtobufStatus(invalid),
            absl::InvalidArgumentError("unknown field \"x\""));
  EXPECT_TRUE(FromProtobufStatus(google::protobuf::util::Status()).ok());
}

TEST(StatusTest, ReasonAndRetryDelayTravelThroughGrpcDetails) {
  const absl::Status original = WithRetryDelay(
      WithReason(absl::ResourceExhaustedError("too many attempts"),
                 "RATE_LIMITED"),
      absl::Milliseconds(2500));
  const grpc::Status wire = ToGrpcStatus(original);
  EXPECT_FALSE(wire.error_details().empty());
  const absl::Status back = FromGrpcStatus(wire);
  EXPECT_EQ(back.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ReasonOf(back), "RATE_LIMITED");
  EXPECT_EQ(RetryDelayOf(back), absl::Milliseconds(2500));
}

TEST(StatusTest, StatusWithoutDetailsSendsNone) {
  EXPECT_TRUE(ToGrpcStatus(absl::NotFoundError("x")).error_details().empty());
  EXPECT_EQ(ReasonOf(absl::NotFoundError("x")), std::nullopt);
  EXPECT_TRUE(WithReason(absl::OkStatus(), "X").ok());
}

}  // namespace
}  // namespace agora::status
