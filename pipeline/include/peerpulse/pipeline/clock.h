// Clock: the source of "now", behind an interface so tests control time.
#ifndef PEERPULSE_PIPELINE_CLOCK_H_
#define PEERPULSE_PIPELINE_CLOCK_H_

#include <cstdint>

namespace peerpulse {

class Clock {
 public:
  virtual ~Clock() = default;
  // Unix seconds, UTC. Thread-safe.
  virtual std::int64_t NowUnix() const = 0;
};

// The system clock.
class SystemClock final : public Clock {
 public:
  std::int64_t NowUnix() const override;
};

// A clock fixed at a given instant (tests, and `--now` for reproducible runs).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::int64_t unix_seconds) : now_(unix_seconds) {}
  std::int64_t NowUnix() const override { return now_; }

 private:
  std::int64_t now_;
};

}  // namespace peerpulse

#endif  // PEERPULSE_PIPELINE_CLOCK_H_
