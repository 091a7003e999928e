#pragma once
// Units of work fetched on several threads and handed over one by one in their order: what lets a sync
// keep up to N requests in flight while the lake receives exactly what a sequential sync would write,
// in the same order, so its content does not depend on the number of threads.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "util/error.hpp"

namespace ampere::github {

/// How often the handing-over thread wakes while it waits, to call `idle` (progress output).
inline constexpr std::chrono::milliseconds kIdleTick{500};

/// Runs `work(i)` for every i in [0, count) on `threads` threads, at most `window` units ahead of the
/// oldest one not handed over yet (bounding memory), and calls `commit(i, result)` on the calling thread
/// in index order. The first failure (of a unit, or of commit) stops the handing out of new units; the
/// units before it are still committed, the ones after it are dropped, and the failure is returned.
/// `idle` (optional) is called about every kIdleTick while the calling thread waits.
template <class Result>
Expected<void> run_in_order(size_t count, size_t threads, size_t window,
                            const std::function<Expected<Result>(size_t)>& work,
                            const std::function<Expected<void>(size_t, Result&&)>& commit,
                            const std::function<void()>& idle = {}) {
  if (count == 0) return {};
  threads = std::max<size_t>(1, std::min(threads, count));
  window = std::max(window, threads);
  std::mutex mutex;
  std::condition_variable changed;
  std::map<size_t, Expected<Result>> done;
  size_t next_start = 0;
  size_t next_commit = 0;
  bool stop = false;

  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      while (true) {
        size_t index = 0;
        {
          std::unique_lock lock(mutex);
          changed.wait(lock, [&] { return stop || next_start >= count || next_start < next_commit + window; });
          if (stop || next_start >= count) return;
          index = next_start++;
        }
        Expected<Result> result = work(index);
        {
          const std::lock_guard lock(mutex);
          done.emplace(index, std::move(result));
        }
        changed.notify_all();
      }
    });
  }
  const auto finish = [&](Expected<void> outcome) {
    {
      const std::lock_guard lock(mutex);
      stop = true;
    }
    changed.notify_all();
    for (auto& thread : pool) thread.join();
    return outcome;
  };

  while (next_commit < count) {
    std::unique_lock lock(mutex);
    if (!changed.wait_for(lock, kIdleTick, [&] { return done.contains(next_commit); })) {
      lock.unlock();
      if (idle) idle();
      continue;
    }
    auto node = done.extract(next_commit);
    lock.unlock();
    Expected<Result>& result = node.mapped();
    if (!result) return finish(tl::unexpected(result.error()));
    if (auto ok = commit(next_commit, std::move(*result)); !ok) return finish(ok);
    {
      const std::lock_guard relock(mutex);
      ++next_commit;
    }
    changed.notify_all();
  }
  return finish({});
}

}  // namespace ampere::github
