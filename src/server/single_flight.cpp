#include "server/single_flight.hpp"

namespace ampere::server {

SingleFlight::Turn::Turn(SingleFlight& flight, std::string key) : flight_(flight), key_(std::move(key)) {
  std::unique_lock lock(flight_.mutex_);
  flight_.released_.wait(lock, [&] { return !flight_.running_.contains(key_); });
  flight_.running_.insert(key_);
}

SingleFlight::Turn::~Turn() {
  {
    std::lock_guard lock(flight_.mutex_);
    flight_.running_.erase(key_);
  }
  flight_.released_.notify_all();
}

}  // namespace ampere::server
