#pragma once
// Runs a loop body over index ranges on several threads. Ranges are handed out in a fixed-size chunk
// at a time, so a body that writes only its own indexes gives the same result on any number of threads.

#include <cstddef>
#include <functional>

namespace ampere::graph {

/// Calls body(begin, end) for consecutive ranges of at most `chunk` indexes covering [0, count), on
/// `threads` threads (the caller's among them; 0 means one per core). Returns when all are done.
void parallel_for(size_t count, size_t chunk, unsigned threads, const std::function<void(size_t, size_t)>& body);

/// The thread count `threads` stands for: itself, or one per core when 0.
unsigned resolve_threads(unsigned threads);

}  // namespace ampere::graph
