#pragma once
// Where fetchers put what they fetched. The pipeline's sink appends to the lake; a flush commits every
// buffered table (the data tables, then repos, whose rows the next sync compares with, then listings, so
// neither a repo's row nor a complete-listing marker lands before the rows it vouches for) and only then
// makes the request validators permanent.

#include <string>
#include <vector>

#include "util/error.hpp"
#include "util/raw_record.hpp"

namespace ampere::github {

/// A buffer of raw records on their way to storage.
class RawSink {
 public:
  virtual ~RawSink() = default;

  /// Buffers one record of `table` (may flush when the buffer is large).
  virtual Expected<void> add(const RawTable& table, RawRecord record) = 0;

  /// The request validators (ETag store keys) whose data has all been add()ed: made permanent by the
  /// flush that commits that data, never before.
  virtual void add_validators(std::vector<std::string> keys) = 0;

  /// Commits everything buffered, then the validators added before.
  virtual Expected<void> flush() = 0;
};

}  // namespace ampere::github
