#include "peerpulse/pipeline/raw_post.h"

#include <openssl/crypto.h>

namespace peerpulse {

void WipeString(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

namespace {
void WipeAll(RawPost& p) {
  WipeString(p.text);
  WipeString(p.author);
  WipeString(p.native_id);
  WipeString(p.url);
  p.created_at = 0;
}
}  // namespace

RawPost::~RawPost() { WipeAll(*this); }

RawPost& RawPost::operator=(RawPost&& other) noexcept {
  if (this != &other) {
    WipeAll(*this);
    source = std::move(other.source);
    community = std::move(other.community);
    created_at = other.created_at;
    lang = std::move(other.lang);
    text = std::move(other.text);
    author = std::move(other.author);
    native_id = std::move(other.native_id);
    url = std::move(other.url);
  }
  return *this;
}

}  // namespace peerpulse
