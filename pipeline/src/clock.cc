#include "peerpulse/pipeline/clock.h"

#include <chrono>

namespace peerpulse {

std::int64_t SystemClock::NowUnix() const {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace peerpulse
