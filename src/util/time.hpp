#pragma once
// Time in ampere is always UTC. Timestamps are microseconds since the Unix epoch, as in DuckDB.

#include <chrono>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace ampere {

/// A point in time, UTC, microsecond precision.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

/// The current time, UTC.
Timestamp now_utc();

/// "2026-11-28T04:35:20Z"; fractional seconds are printed only when present ("...20.250000Z").
std::string format_iso8601(Timestamp t);

/// "2026-11-28".
std::string format_date(Timestamp t);

/// Midnight UTC at the start of t's day.
Timestamp start_of_day(Timestamp t);

/// Parses "YYYY-MM-DD" (midnight UTC) or ISO 8601 "YYYY-MM-DDTHH:MM[:SS[.fff]]" with "Z" or "+HH:MM";
/// a time without a zone is taken as UTC. The error names the accepted forms.
Expected<Timestamp> parse_iso8601(std::string_view text);

}  // namespace ampere
