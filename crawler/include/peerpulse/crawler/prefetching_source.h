// PrefetchingSource: runs another Source one step ahead on its own thread, so
// that fetching and parsing the next batch overlap with de-identifying,
// classifying and committing the current one (a job then uses both cores).
//
// Order and cursors are unchanged: batches come out exactly as the inner
// source made them, and a batch's cursor is still saved only when the caller
// commits that batch, so a crash loses nothing that was not re-fetched.
// Posts held ahead live in memory only, like every RawPost.
#ifndef PEERPULSE_CRAWLER_PREFETCHING_SOURCE_H_
#define PEERPULSE_CRAWLER_PREFETCHING_SOURCE_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "peerpulse/crawler/source.h"

namespace peerpulse::crawler {

class PrefetchingSource final : public Source {
 public:
  // Starts a thread that calls inner->Next(batch_size) while fewer than
  // `depth` (>= 1) batches wait to be taken. It stops after an error or an
  // exhausted batch.
  PrefetchingSource(std::unique_ptr<Source> inner, std::size_t batch_size, std::size_t depth = 1);
  // Stops the thread: waits for the inner Next() in flight (bounded by the
  // fetcher's timeouts and retries), then drops (and wipes) unclaimed batches.
  ~PrefetchingSource() override;
  PrefetchingSource(const PrefetchingSource&) = delete;
  PrefetchingSource& operator=(const PrefetchingSource&) = delete;

  const std::string& name() const override { return name_; }
  // The inner source's next batch or error, in order; `max_posts` is ignored
  // (the batch size given at construction applies). After the inner source
  // ended (error or exhausted), returns FailedPrecondition. One caller at a time.
  Result<SourceBatch> Next(std::size_t max_posts) override;

 private:
  void Run();

  std::unique_ptr<Source> inner_;
  const std::string name_;
  const std::size_t batch_size_;
  const std::size_t depth_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Result<SourceBatch>> ready_;
  bool stop_ = false;      // the owner is going away
  bool ended_ = false;     // the thread made its last batch
  bool drained_ = false;   // the caller took the last batch
  std::thread thread_;
};

}  // namespace peerpulse::crawler

#endif  // PEERPULSE_CRAWLER_PREFETCHING_SOURCE_H_
