#pragma once
// Snappy decompression of one raw block (the format Parquet's SNAPPY codec stores per page; no framing):
// a varint of the uncompressed length, then literals and back-references into the output.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ampere::lake {

/// The decompressed bytes of `block`, or nullopt when it is not a valid Snappy block or does not
/// decompress to exactly `expected_size` bytes (the size the Parquet page header states).
std::optional<std::string> snappy_decompress(std::string_view block, size_t expected_size);

}  // namespace ampere::lake
