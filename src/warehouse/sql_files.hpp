#pragma once
// The files of sql/ (models and their YAML), embedded in the binary at build time.

#include <span>

#include "util/embedded_file.hpp"

namespace ampere::sql_files {

/// Every embedded file, with its path relative to sql/.
std::span<const ampere::EmbeddedFile> embedded_files();

}  // namespace ampere::sql_files
