#include "peerpulse/crawler/prefetching_source.h"

#include <cstdlib>

namespace peerpulse::crawler {

PrefetchingSource::PrefetchingSource(std::unique_ptr<Source> inner, std::size_t batch_size, std::size_t depth)
    : inner_(std::move(inner)), name_(inner_->name()), batch_size_(batch_size), depth_(depth < 1 ? 1 : depth) {
  thread_ = std::thread([this] { Run(); });
}

PrefetchingSource::~PrefetchingSource() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  ready_.clear();  // RawPost destructors wipe the unclaimed posts
}

void PrefetchingSource::Run() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || ready_.size() < depth_; });
      if (stop_) return;
    }
    Result<SourceBatch> batch = inner_->Next(batch_size_);
    const bool last = !batch.ok() || batch->exhausted;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ready_.push_back(std::move(batch));
      if (last) ended_ = true;
    }
    cv_.notify_all();
    if (last) return;
  }
}

Result<SourceBatch> PrefetchingSource::Next(std::size_t /*max_posts*/) {
  std::unique_lock<std::mutex> lock(mu_);
  if (drained_) return Status::FailedPrecondition("source '" + name_ + "' has ended");
  cv_.wait(lock, [this] { return !ready_.empty(); });
  Result<SourceBatch> out = std::move(ready_.front());
  ready_.pop_front();
  if (ended_ && ready_.empty()) drained_ = true;
  lock.unlock();
  cv_.notify_all();
  return out;
}

}  // namespace peerpulse::crawler
