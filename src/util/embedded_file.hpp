#pragma once
// A file compiled into the binary (web assets, SQL models); see cmake/EmbedFiles.cmake.

#include <span>
#include <string_view>

namespace ampere {

/// One embedded file: its path relative to the folder it was embedded from, and its bytes.
struct EmbeddedFile {
  std::string_view path;
  std::string_view bytes;
};

/// Finds an embedded file by path in a table produced by ampere_embed_files; nullptr when absent.
inline const EmbeddedFile* find_embedded(std::span<const EmbeddedFile> files, std::string_view path) {
  for (const auto& file : files) {
    if (file.path == path) return &file;
  }
  return nullptr;
}

}  // namespace ampere
