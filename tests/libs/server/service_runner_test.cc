// libs/server through a real process: the echo test service started with
// ServiceRunner, driven over gRPC and signals.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agora/testing/v1/echo.grpc.pb.h"
#include "health/v1/health.grpc.pb.h"
#include "tests/harness/child_process.h"
#include "tests/harness/local_servers.h"
#include "tests/harness/ports.h"
#include "tests/harness/test_environment.h"

namespace agora::server {
namespace {

using ::agora::testing::ChildProcess;
using ::agora::testing::FreePort;
using ::agora::testing::LocalServer;
using ::agora::testing::WaitForPort;
using ::agora::testing::v1::EchoRequest;
using ::agora::testing::v1::EchoResponse;
using ::agora::testing::v1::EchoService;
using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

// The echo server as a child process.
class EchoProcess {
 public:
  EchoProcess(const std::string& redis_address, absl::Duration drain_grace)
      : port_(FreePort()), metrics_port_(FreePort()) {
    std::vector<std::string> args = {
        AGORA_ECHO_SERVER,
        absl::StrCat("--listen=127.0.0.1:", port_),
        absl::StrCat("--metrics_port=", metrics_port_),
        absl::StrCat("--pg_url=", ::agora::testing::PostgresAdminUrl()),
        absl::StrCat("--redis_address=", redis_address),
        "--health_interval=100ms",
        absl::StrCat("--drain_grace=", absl::FormatDuration(drain_grace)),
        "--shutdown_deadline=5s",
        "--max_receive_bytes=65536",
        "--log_level=warn"};
    absl::StatusOr<ChildProcess> process = ChildProcess::Start(std::move(args));
    EXPECT_TRUE(process.ok()) << process.status();
    if (process.ok()) process_.emplace(*std::move(process));
    // The channel is made once the port accepts: a channel whose first
    // connection was refused backs off for seconds before trying again.
    EXPECT_TRUE(WaitForPort(port_, absl::Seconds(15)));
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                                   grpc::InsecureChannelCredentials());
  }
  // The health status, or UNKNOWN when the server does not answer.
  HealthCheckResponse::ServingStatus Health() {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(500));
    context.set_wait_for_ready(true);
    HealthCheckResponse response;
    grpc::Status status = Health::NewStub(channel_)->Check(
        &context, HealthCheckRequest(), &response);
    return status.ok() ? response.status() : HealthCheckResponse::UNKNOWN;
  }

  bool WaitForHealth(HealthCheckResponse::ServingStatus wanted,
                     absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      if (Health() == wanted) return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }

  grpc::Status Echo(const EchoRequest& request, EchoResponse* response,
                    const std::string& request_id = "",
                    std::string* returned_request_id = nullptr) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    if (!request_id.empty()) context.AddMetadata("x-request-id", request_id);
    grpc::Status status =
        EchoService::NewStub(channel_)->Echo(&context, request, response);
    if (returned_request_id != nullptr) {
      auto found = context.GetServerInitialMetadata().find("x-request-id");
      if (found != context.GetServerInitialMetadata().end()) {
        returned_request_id->assign(found->second.data(), found->second.size());
      }
    }
    return status;
  }

  // Exit code once the process ends, -1 if it still runs after `timeout`.
  int WaitExit(absl::Duration timeout) {
    return process_ ? process_->WaitExit(timeout).value_or(-1) : -1;
  }
  bool Signal(int signal) { return process_ && process_->Signal(signal); }
  int metrics_port() const { return metrics_port_; }

 private:
  int port_;
  int metrics_port_;
  std::optional<ChildProcess> process_;
  std::shared_ptr<grpc::Channel> channel_;
};

std::string HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return "";
  }
  const std::string request =
      absl::StrCat("GET ", path,
                   " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  (void)write(fd, request.data(), request.size());
  std::string response;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) response.append(buffer, n);
  close(fd);
  return response;
}

TEST(ServiceRunnerTest, HealthFollowsTheRealDependencies) {
  LocalServer redis(LocalServer::Kind::kRedis);
  ASSERT_TRUE(redis.Start().ok());
  EchoProcess server(redis.redis_address(), absl::Milliseconds(100));
  EXPECT_TRUE(
      server.WaitForHealth(HealthCheckResponse::SERVING, absl::Seconds(15)));

  ASSERT_TRUE(redis.Stop().ok());
  EXPECT_TRUE(
      server.WaitForHealth(HealthCheckResponse::NOT_SERVING, absl::Seconds(5)))
      << "Redis down: not serving";

  ASSERT_TRUE(redis.Start().ok());
  EXPECT_TRUE(
      server.WaitForHealth(HealthCheckResponse::SERVING, absl::Seconds(10)))
      << "Redis back: serving again";
}

TEST(ServiceRunnerTest, SigtermFlipsHealthAtOnceAndInFlightCallsFinish) {
  EchoProcess server(::agora::testing::RedisAddress(), absl::Seconds(1));
  ASSERT_TRUE(
      server.WaitForHealth(HealthCheckResponse::SERVING, absl::Seconds(15)));

  EchoRequest slow;
  slow.set_message("in flight");
  slow.set_delay_ms(1500);
  EchoResponse slow_response;
  std::future<grpc::Status> in_flight = std::async(
      std::launch::async, [&] { return server.Echo(slow, &slow_response); });
  absl::SleepFor(absl::Milliseconds(200));  // the call is now being handled

  ASSERT_TRUE(server.Signal(SIGTERM));
  const absl::Time signalled = absl::Now();
  EXPECT_TRUE(server.WaitForHealth(HealthCheckResponse::NOT_SERVING,
                                   absl::Milliseconds(800)));
  EXPECT_LT(absl::Now() - signalled, absl::Milliseconds(900))
      << "flipped during the grace";

  grpc::Status status = in_flight.get();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(slow_response.message(), "in flight");
  EXPECT_EQ(server.WaitExit(absl::Seconds(10)), 0) << "clean exit";
}

TEST(ServiceRunnerTest, RequestIdsAreKeptGeneratedOrReplaced) {
  EchoProcess server(::agora::testing::RedisAddress(), absl::Milliseconds(100));
  ASSERT_TRUE(
      server.WaitForHealth(HealthCheckResponse::SERVING, absl::Seconds(15)));
  EchoRequest request;
  request.set_message("hello");
  EchoResponse response;
  std::string returned;

  ASSERT_TRUE(server.Echo(request, &response, "req-42.a", &returned).ok());
  EXPECT_EQ(response.request_id(), "req-42.a");
  EXPECT_EQ(returned, "req-42.a");

  ASSERT_TRUE(server.Echo(request, &response, "", &returned).ok());
  EXPECT_EQ(response.request_id().size(), 32u);
  EXPECT_EQ(returned, response.request_id());

  ASSERT_TRUE(
      server.Echo(request, &response, "bad id {injected}", &returned).ok());
  EXPECT_EQ(response.request_id().size(), 32u) << "unsafe ids are replaced";
}

TEST(ServiceRunnerTest, BadInputAndOversizeRequestsGetClearErrors) {
  EchoProcess server(::agora::testing::RedisAddress(), absl::Milliseconds(100));
  ASSERT_TRUE(
      server.WaitForHealth(HealthCheckResponse::SERVING, absl::Seconds(15)));
  EchoResponse response;
  EchoRequest empty;
  grpc::Status status = server.Echo(empty, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "message: required");

  EchoRequest huge;
  huge.set_message(std::string(100 * 1024, 'x'));  // over --max_receive_bytes
  EXPECT_EQ(server.Echo(huge, &response).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);

  EchoRequest fine;
  fine.set_message("still serving");
  EXPECT_TRUE(server.Echo(fine, &response).ok());
}

TEST(ServiceRunnerTest, MetricsCountCallsByMethodAndCode) {
  EchoProcess server(::agora::testing::RedisAddress(), absl::Milliseconds(100));
  ASSERT_TRUE(
      server.WaitForHealth(HealthCheckResponse::SERVING, absl::Seconds(15)));
  EchoRequest request;
  request.set_message("counted");
  EchoResponse response;
  ASSERT_TRUE(server.Echo(request, &response).ok());
  ASSERT_TRUE(server.Echo(request, &response).ok());
  ASSERT_FALSE(server.Echo(EchoRequest(), &response).ok());

  const std::string metrics = HttpGet(server.metrics_port(), "/metrics");
  EXPECT_TRUE(absl::StrContains(metrics, "200 OK")) << metrics;
  EXPECT_TRUE(absl::StrContains(metrics,
                                "grpc_server_handled_total{grpc_method=\"/"
                                "agora.testing.v1.EchoService/Echo\","
                                "grpc_code=\"OK\"} 2"))
      << metrics;
  EXPECT_TRUE(absl::StrContains(metrics,
                                "grpc_server_handled_total{grpc_method=\"/"
                                "agora.testing.v1.EchoService/Echo\","
                                "grpc_code=\"INVALID_ARGUMENT\"} 1"));
  EXPECT_TRUE(
      absl::StrContains(metrics,
                        "grpc_server_handling_seconds_count{grpc_method=\"/"
                        "agora.testing.v1.EchoService/Echo\"} 3"));
  EXPECT_TRUE(absl::StrContains(metrics, "agora_serving 1"));
  EXPECT_TRUE(
      absl::StrContains(HttpGet(server.metrics_port(), "/nope"), "404"));
}

}  // namespace
}  // namespace agora::server
