#include "peerpulse/crawler/source_group.h"

namespace peerpulse::crawler {

SourceGroup::SourceGroup(std::vector<Member> members, std::size_t depth) : depth_(depth < 1 ? 1 : depth) {
  for (Member& m : members) {
    auto lane = std::make_unique<Lane>();
    lane->member = std::move(m);
    lanes_.push_back(std::move(lane));
  }
  // Threads start once every lane exists (they only touch their own lane and the shared lock).
  for (auto& lane : lanes_) {
    Lane* l = lane.get();
    l->thread = std::thread([this, l] { Run(*l); });
  }
}

SourceGroup::~SourceGroup() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& lane : lanes_) lane->thread.join();
  lanes_.clear();  // RawPost destructors wipe the unclaimed posts
}

void SourceGroup::Run(Lane& lane) {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || lane.ready.size() < depth_; });
      if (stop_) return;
    }
    Result<SourceBatch> batch = lane.member.source->Next(lane.member.batch_size);
    const bool last = !batch.ok() || batch->exhausted;
    {
      std::lock_guard<std::mutex> lock(mu_);
      lane.ready.push_back(std::move(batch));
      if (last) lane.ended = true;
    }
    cv_.notify_all();
    if (last) return;
  }
}

std::optional<SourceGroup::Item> SourceGroup::Next() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    bool pending = false;
    for (std::size_t k = 0; k < lanes_.size(); ++k) {
      const std::size_t i = (turn_ + k) % lanes_.size();
      Lane& lane = *lanes_[i];
      if (lane.drained) continue;
      pending = true;
      if (lane.ready.empty()) continue;
      Item item{i, std::move(lane.ready.front()), false};
      lane.ready.pop_front();
      if (lane.ended && lane.ready.empty()) {
        lane.drained = true;
        item.last = true;
      }
      turn_ = i + 1;
      lock.unlock();
      cv_.notify_all();
      return item;
    }
    if (!pending) return std::nullopt;
    cv_.wait(lock);
  }
}

}  // namespace peerpulse::crawler
