#include "gateway/http_message.h"

namespace agora::gateway {

std::optional<absl::string_view> HttpRequest::Header(
    absl::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

int HttpRequest::HeaderCount(absl::string_view name) const {
  int count = 0;
  for (const auto& header : headers) count += header.first == name ? 1 : 0;
  return count;
}

absl::string_view HttpRequest::Path() const {
  absl::string_view view(target);
  return view.substr(0, view.find('?'));
}

absl::string_view HttpRequest::Query() const {
  absl::string_view view(target);
  const size_t mark = view.find('?');
  return mark == absl::string_view::npos ? absl::string_view()
                                         : view.substr(mark + 1);
}

void HttpResponse::SetHeader(std::string name, std::string value) {
  for (auto& header : headers) {
    if (header.first == name) {
      header.second = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

}  // namespace agora::gateway
