// content_load: a gRPC load generator for agora-content, measured end to end
// as a client sees it (token check, PostgreSQL, and for creates the
// synchronous screening by agora-moderation).
//
//   content_load --mode=setup --token=<tenant admin>
//       creates space "questions" in tenant fr and lets members post 10,000
//       times an hour (the default 30 would refuse a benchmark);
//   content_load --mode=create --tokens_file=tokens.txt --concurrency=32
//       CreatePost of questions by the members of the file, round robin
//       (every 20th body carries a card number, masked by screening);
//   content_load --mode=get --names_file=posts.txt
//       GetPost of the posts in the file, anonymous;
//   content_load --mode=list
//       ListPosts of the space, newest first, 50 posts a page, anonymous.
// Closed loop by default, or --rate calls/s (bench/common/async_load.h).
#include <fstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "agora/content/v1/content.grpc.pb.h"
#include "bench/common/async_load.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50052", "host:port of content");
ABSL_FLAG(std::string, mode, "get", "setup, create, get or list");
ABSL_FLAG(int, concurrency, 64, "Calls outstanding at once");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(20), "Measured window");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(3), "Unmeasured warm-up");
ABSL_FLAG(int, channels, 4, "gRPC channels (one TCP connection each)");
ABSL_FLAG(int, threads, 2, "Completion-queue threads of the generator");
ABSL_FLAG(double, rate, 0, "Calls per second (0: closed loop)");
ABSL_FLAG(std::string, token, "", "setup: a tenant admin's token");
ABSL_FLAG(std::string, tokens_file, "", "create: member tokens, one a line");
ABSL_FLAG(std::string, names_file, "", "get: post names, one a line");
ABSL_FLAG(int, page_size, 50, "list: posts per page");

namespace {

namespace v1 = agora::content::v1;
namespace common = agora::common::v1;
using Stub = v1::ContentService::Stub;

constexpr char kTenant[] = "fr";
constexpr char kSpace[] = "tenants/fr/spaces/questions";

std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (!text.empty()) lines.emplace_back(text);
  }
  return lines;
}

agora::bench::LoadOptions Options() {
  agora::bench::LoadOptions options;
  options.concurrency = absl::GetFlag(FLAGS_concurrency);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.rate = absl::GetFlag(FLAGS_rate);
  options.warmup = absl::GetFlag(FLAGS_warmup);
  options.duration = absl::GetFlag(FLAGS_duration);
  return options;
}

std::vector<std::unique_ptr<Stub>> Stubs() {
  return agora::bench::StubsFor<Stub>(absl::GetFlag(FLAGS_target),
                                      absl::GetFlag(FLAGS_channels),
                                      &v1::ContentService::NewStub);
}

int Setup() {
  auto stub = v1::ContentService::NewStub(grpc::CreateChannel(
      absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials()));
  const auto call = [] {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization",
                         "Bearer " + absl::GetFlag(FLAGS_token));
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(20));
    return context;
  };
  v1::CreateSpaceRequest space;
  space.set_parent(absl::StrCat("tenants/", kTenant));
  space.set_space_id("questions");
  space.mutable_space()->set_kind(v1::SPACE_KIND_QUESTIONS);
  (*space.mutable_space()->mutable_display_name()->mutable_translations())
      ["fr"] = "Questions";
  v1::Space created;
  grpc::Status status = stub->CreateSpace(call().get(), space, &created);
  if (!status.ok() && status.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
    std::fprintf(stderr, "CreateSpace: %s\n", status.error_message().c_str());
    return 1;
  }
  v1::UpdateContentSettingsRequest settings;
  settings.mutable_content_settings()->set_name(
      absl::StrCat("tenants/", kTenant, "/contentSettings"));
  settings.mutable_content_settings()->set_max_posts_per_hour(1000);
  settings.mutable_update_mask()->add_paths("max_posts_per_hour");
  v1::ContentSettings updated;
  status = stub->UpdateContentSettings(call().get(), settings, &updated);
  if (!status.ok()) {
    std::fprintf(stderr, "UpdateContentSettings: %s\n",
                 status.error_message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string mode = absl::GetFlag(FLAGS_mode);
  if (mode == "setup") return Setup();

  if (mode == "create") {
    const std::vector<std::string> tokens =
        ReadLines(absl::GetFlag(FLAGS_tokens_file));
    if (tokens.empty()) {
      std::fprintf(stderr, "--tokens_file: no tokens\n");
      return 2;
    }
    agora::bench::AsyncLoad<Stub, v1::Post> load(
        Options(), Stubs(),
        [&tokens](Stub& stub, uint64_t k, grpc::ClientContext* context,
                  grpc::CompletionQueue* queue) {
          context->AddMetadata("authorization",
                               "Bearer " + tokens[k % tokens.size()]);
          v1::CreatePostRequest request;
          request.set_parent(absl::StrCat("tenants/", kTenant));
          v1::Post& post = *request.mutable_post();
          post.set_kind(common::CONTENT_KIND_QUESTION);
          post.set_space(kSpace);
          post.set_title(absl::StrCat("Question numéro ", k,
                                      " sur les frais de ma carte"));
          post.set_body(absl::StrCat(
              "Bonjour, je voudrais comprendre les frais prélevés ce mois-ci "
              "(référence ",
              k, ").",
              k % 20 == 0 ? " Ma carte est la 4539 1488 0343 6467." : "",
              " Merci d'avance pour vos réponses."));
          return stub.AsyncCreatePost(context, request, queue);
        });
    load.Run();
    load.Report("create");
    return 0;
  }

  if (mode == "get") {
    const std::vector<std::string> names =
        ReadLines(absl::GetFlag(FLAGS_names_file));
    if (names.empty()) {
      std::fprintf(stderr, "--names_file: no post names\n");
      return 2;
    }
    agora::bench::AsyncLoad<Stub, v1::Post> load(
        Options(), Stubs(),
        [&names](Stub& stub, uint64_t k, grpc::ClientContext* context,
                 grpc::CompletionQueue* queue) {
          v1::GetPostRequest request;
          request.set_name(names[k % names.size()]);
          return stub.AsyncGetPost(context, request, queue);
        });
    load.Run();
    load.Report("get");
    return 0;
  }

  if (mode == "list") {
    const int page_size = absl::GetFlag(FLAGS_page_size);
    agora::bench::AsyncLoad<Stub, v1::ListPostsResponse> load(
        Options(), Stubs(),
        [page_size](Stub& stub, uint64_t, grpc::ClientContext* context,
                    grpc::CompletionQueue* queue) {
          v1::ListPostsRequest request;
          request.set_space(kSpace);
          request.set_page_size(page_size);
          return stub.AsyncListPosts(context, request, queue);
        });
    load.Run();
    load.Report(absl::StrCat("list", page_size));
    return 0;
  }
  std::fprintf(stderr, "--mode: setup, create, get or list\n");
  return 2;
}
