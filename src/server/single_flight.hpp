#pragma once
// One computation per key at a time: when many clients ask for the same uncached answer at once (a
// dashboard's users after a build, a load test's first second), one computes it and the others wait
// for it, then find it cached, instead of each building its own copy of a 20 MB body.

#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

namespace ampere::server {

class SingleFlight {
 public:
  /// Made once any running computation of the key has ended; holds the key until destroyed, so a
  /// Turn of the same key made meanwhile waits.
  class Turn {
   public:
    Turn(SingleFlight& flight, std::string key);
    ~Turn();
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;

   private:
    SingleFlight& flight_;
    std::string key_;
  };

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  std::set<std::string> running_;
};

}  // namespace ampere::server
