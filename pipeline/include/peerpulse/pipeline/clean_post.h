// CleanPost: a post after de-identification, the only form in which post text
// travels past the Deidentifier.
//
// Only peerpulse::deid::Deidentifier can construct one (passkey idiom: the
// Key type's constructor is private to it). The author appears only as a
// keyed pseudonym and the post id only inside a keyed dedup key; the time only
// as the ISO week. Move-only, like RawPost; the text is wiped on destruction.
#ifndef PEERPULSE_PIPELINE_CLEAN_POST_H_
#define PEERPULSE_PIPELINE_CLEAN_POST_H_

#include <string>
#include <string_view>
#include <utility>

#include "peerpulse/pipeline/crypto.h"
#include "peerpulse/pipeline/raw_post.h"
#include "peerpulse/pipeline/window.h"

namespace peerpulse {

namespace deid {
class Deidentifier;
}  // namespace deid

class CleanPost {
 public:
  // Proof of origin: only the Deidentifier can make a Key.
  class Key {
    friend class deid::Deidentifier;
    Key() = default;
  };

  CleanPost(Key, std::string source, std::string community, Window window, std::string lang, std::string text,
            Digest author_pseudonym, Digest dedup_key)
      : source_(std::move(source)),
        community_(std::move(community)),
        window_(window),
        lang_(std::move(lang)),
        text_(std::move(text)),
        author_pseudonym_(author_pseudonym),
        dedup_key_(dedup_key) {}
  ~CleanPost() { WipeString(text_); }
  CleanPost(CleanPost&&) noexcept = default;
  CleanPost& operator=(CleanPost&&) noexcept = default;
  CleanPost(const CleanPost&) = delete;
  CleanPost& operator=(const CleanPost&) = delete;

  const std::string& source() const { return source_; }
  const std::string& community() const { return community_; }
  const Window& window() const { return window_; }
  const std::string& lang() const { return lang_; }
  // De-identified text: identifiers replaced as the policy says.
  const std::string& text() const { return text_; }
  // HMAC-SHA256(window key, source || author): stable within a window only.
  const Digest& author_pseudonym() const { return author_pseudonym_; }
  // HMAC-SHA256(window key, source || native id): detects re-processing.
  const Digest& dedup_key() const { return dedup_key_; }

 private:
  std::string source_;
  std::string community_;
  Window window_;
  std::string lang_;
  std::string text_;
  Digest author_pseudonym_;
  Digest dedup_key_;
};

}  // namespace peerpulse

#endif  // PEERPULSE_PIPELINE_CLEAN_POST_H_
