// SourceGroup: runs a job's sources at the same time, each on its own thread
// a few batches ahead, and hands their batches to one consumer as they come.
//
// Fetching and parsing thus overlap with de-identifying, classifying and
// committing (a job uses both cores), and slow or politely paced hosts wait
// in parallel rather than one after the other. HTTP concurrency itself is
// bounded by the shared PoliteFetcher (one request per host, a global limit).
//
// Order and cursors: each source's batches come out in the order it made
// them, and a batch's cursor is saved only when the consumer commits that
// batch, so a crash loses nothing that is not fetched again. Batches of
// different sources interleave. Posts held ahead live in memory only.
#ifndef PEERPULSE_CRAWLER_SOURCE_GROUP_H_
#define PEERPULSE_CRAWLER_SOURCE_GROUP_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "peerpulse/crawler/source.h"

namespace peerpulse::crawler {

class SourceGroup {
 public:
  struct Member {
    std::unique_ptr<Source> source;
    std::size_t batch_size = 500;
  };
  // Starts one thread per member that calls Next(batch_size) while fewer than
  // `depth` (>= 1) of its batches wait; a member's thread stops after an
  // error or an exhausted batch.
  explicit SourceGroup(std::vector<Member> members, std::size_t depth = 2);
  // Stops every thread: waits for the Next() calls in flight (bounded by the
  // fetcher's timeouts and retries), then drops (and wipes) unclaimed batches.
  ~SourceGroup();
  SourceGroup(const SourceGroup&) = delete;
  SourceGroup& operator=(const SourceGroup&) = delete;

  struct Item {
    std::size_t member = 0;        // index into the members given at construction
    Result<SourceBatch> batch;     // the batch, or the error that ended this member
    bool last = false;             // this member has nothing more
  };
  // Blocks until some member has a batch (members are served in turn when
  // several have one). Returns nullopt once every member's last item was taken.
  // One consumer at a time.
  std::optional<Item> Next();

 private:
  struct Lane {
    Member member;
    std::deque<Result<SourceBatch>> ready;
    bool ended = false;     // its thread made its last batch
    bool drained = false;   // the consumer took its last batch
    std::thread thread;
  };
  void Run(Lane& lane);

  const std::size_t depth_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::size_t turn_ = 0;
  std::vector<std::unique_ptr<Lane>> lanes_;
};

}  // namespace peerpulse::crawler

#endif  // PEERPULSE_CRAWLER_SOURCE_GROUP_H_
