// RawPost: one post as a source fetched it, before de-identification.
//
// Privacy contract (design.md, promise 1): a RawPost lives only in memory,
// between a Source and the Deidentifier. It is move-only so that it is never
// silently duplicated, it has no operator<< and no fmt::formatter so that it
// cannot be logged, and its destructor wipes every field's bytes. No stage may
// write any field of it to disk, a log or an error message.
#ifndef PEERPULSE_PIPELINE_RAW_POST_H_
#define PEERPULSE_PIPELINE_RAW_POST_H_

#include <cstdint>
#include <string>

namespace peerpulse {

class RawPost {
 public:
  RawPost() = default;
  ~RawPost();
  RawPost(RawPost&& other) noexcept = default;
  RawPost& operator=(RawPost&& other) noexcept;
  RawPost(const RawPost&) = delete;
  RawPost& operator=(const RawPost&) = delete;

  std::string source;      // name of the job's source that produced it (configuration, not content)
  std::string community;   // community code, e.g. "diabetes-forum" (validated by the de-identifier)
  std::int64_t created_at = 0;  // Unix seconds (UTC); only its ISO week ever leaves memory
  std::string lang;        // BCP 47 language tag or "und"
  std::string text;        // post text, HTML already stripped
  std::string author;      // the source's author name or id
  std::string native_id;   // the source's post id
  std::string url;         // link to the post
};

// Overwrites the bytes of `s` (in a way the optimiser keeps) and clears it.
void WipeString(std::string& s);

}  // namespace peerpulse

#endif  // PEERPULSE_PIPELINE_RAW_POST_H_
