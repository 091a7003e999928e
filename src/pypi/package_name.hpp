#pragma once
// PyPI project names: which strings are names at all (PEP 508) and the one spelling every source,
// table and query uses (PEP 503 normalization).

#include <string>
#include <string_view>

#include "util/error.hpp"

namespace ampere::pypi {

/// True when `name` is a valid project name: ASCII letters and digits, with '.', '_' and '-' inside
/// (PEP 508: ^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$, case-insensitive).
bool is_valid_package_name(std::string_view name);

/// The PEP 503 normal form: lower case, each run of '-', '_' and '.' replaced by one '-'.
/// "Delta_Lake" -> "delta-lake". Fails (invalid_input) for a string that is not a valid name.
Expected<std::string> normalize_package_name(std::string_view name);

}  // namespace ampere::pypi
