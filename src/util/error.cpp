#include "util/error.hpp"

namespace ampere {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_input:
      return "invalid input";
    case ErrorKind::not_found:
      return "not found";
    case ErrorKind::io:
      return "i/o error";
    case ErrorKind::database:
      return "database error";
    case ErrorKind::network:
      return "network error";
    case ErrorKind::protocol:
      return "protocol error";
    case ErrorKind::conflict:
      return "conflict";
    case ErrorKind::internal:
      return "internal error";
  }
  return "error";
}

}  // namespace ampere
