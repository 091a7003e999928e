#pragma once
// Errors as values (house rule 2): every expected failure is an Error returned through Expected<T>.

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace ampere {

/// What went wrong, coarse enough for callers to branch on (retry, report, exit code).
enum class ErrorKind {
  invalid_input,  ///< the user's input (config, flag, request parameter) is wrong
  not_found,      ///< a file, table, route or entity does not exist
  io,             ///< the file system refused
  database,       ///< DuckDB reported an error
  network,        ///< a connection failed or timed out
  protocol,       ///< a peer answered with something we cannot use
  conflict,       ///< someone else got there first (a lock, a commit version)
  internal,       ///< a bug: an invariant did not hold
};

/// Short lower-case name of an error kind, for messages and logs.
std::string_view to_string(ErrorKind kind);

/// A failure with a message that says what happened and, where possible, what to do next.
struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;
};

/// A value or the Error that prevented it.
template <class T>
using Expected = tl::expected<T, Error>;

/// Builds the unexpected side of an Expected: `return fail(ErrorKind::io, "cannot open " + path);`.
inline tl::unexpected<Error> fail(ErrorKind kind, std::string message) {
  return tl::unexpected<Error>(Error{kind, std::move(message)});
}

/// Prefixes an error's message with context, keeping its kind: "loading ampere.toml: <message>".
inline tl::unexpected<Error> with_context(Error error, std::string_view context) {
  error.message = std::string(context) + ": " + error.message;
  return tl::unexpected<Error>(std::move(error));
}

}  // namespace ampere
