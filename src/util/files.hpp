#pragma once
// Whole-file reads and crash-safe writes.

#include <filesystem>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace ampere {

/// The file's bytes, or an io / not_found error naming the path.
Expected<std::string> read_file(const std::filesystem::path& path);

/// Replaces `path` with `content` atomically: readers see the old file or the new one, never a part.
/// Writes a temporary file beside it, fsyncs, renames over, fsyncs the folder. `mode` sets permissions.
Expected<void> write_file_atomic(const std::filesystem::path& path, std::string_view content,
                                 std::filesystem::perms mode = std::filesystem::perms::owner_read |
                                                               std::filesystem::perms::owner_write |
                                                               std::filesystem::perms::group_read |
                                                               std::filesystem::perms::others_read);

/// Creates `path` with `content` only if it does not exist yet (put-if-absent), atomically: the file
/// appears whole or not at all. A conflict error when another writer created it first.
Expected<void> create_file_exclusive(const std::filesystem::path& path, std::string_view content);

}  // namespace ampere
