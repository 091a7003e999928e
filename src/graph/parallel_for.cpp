#include "graph/parallel_for.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace ampere::graph {

unsigned resolve_threads(unsigned threads) {
  if (threads > 0) return threads;
  return std::max(1U, std::thread::hardware_concurrency());
}

void parallel_for(size_t count, size_t chunk, unsigned threads, const std::function<void(size_t, size_t)>& body) {
  if (count == 0) return;
  chunk = std::max<size_t>(chunk, 1);
  const size_t chunks = (count + chunk - 1) / chunk;
  const auto workers = static_cast<unsigned>(std::min<size_t>(resolve_threads(threads), chunks));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t c = next.fetch_add(1, std::memory_order_relaxed); c < chunks;
         c = next.fetch_add(1, std::memory_order_relaxed)) {
      body(c * chunk, std::min(count, (c + 1) * chunk));
    }
  };
  std::vector<std::thread> helpers;
  helpers.reserve(workers > 0 ? workers - 1 : 0);
  for (unsigned t = 1; t < workers; ++t) helpers.emplace_back(work);
  work();
  for (auto& h : helpers) h.join();
}

}  // namespace ampere::graph
