#include "lake/snappy.hpp"

#include <cstdint>
#include <cstring>

namespace ampere::lake {

std::optional<std::string> snappy_decompress(std::string_view block, size_t expected_size) {
  const auto* in = reinterpret_cast<const uint8_t*>(block.data());
  const size_t n = block.size();
  size_t pos = 0;
  uint64_t length = 0;
  for (int shift = 0;; shift += 7) {
    if (pos >= n || shift > 28) return std::nullopt;
    const uint8_t byte = in[pos++];
    length |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80u) == 0) break;
  }
  // A copy element expands at most 3 bytes into 64: a larger claim is garbage (and no huge allocation).
  if (length != expected_size || length > 22 * uint64_t{n}) return std::nullopt;
  std::string out;
  out.resize(length);
  size_t written = 0;
  while (pos < n) {
    const uint8_t tag = in[pos++];
    size_t len = 0;
    size_t offset = 0;
    if ((tag & 3u) == 0) {  // literal
      len = (tag >> 2u) + 1u;
      if (len > 60) {
        const size_t bytes = len - 60;  // 1..4 bytes of little-endian length - 1
        if (n - pos < bytes) return std::nullopt;
        len = 0;
        for (size_t i = 0; i < bytes; ++i) len |= size_t{in[pos + i]} << (8 * i);
        len += 1;
        pos += bytes;
      }
      if (n - pos < len || length - written < len) return std::nullopt;
      std::memcpy(out.data() + written, block.data() + pos, len);
      pos += len;
      written += len;
      continue;
    }
    if ((tag & 3u) == 1) {  // copy, 11-bit offset
      if (n - pos < 1) return std::nullopt;
      len = ((tag >> 2u) & 7u) + 4u;
      offset = (static_cast<size_t>(tag >> 5u) << 8u) | in[pos];
      pos += 1;
    } else {  // copy, 2- or 4-byte offset
      const size_t bytes = (tag & 3u) == 2 ? 2 : 4;
      if (n - pos < bytes) return std::nullopt;
      len = (tag >> 2u) + 1u;
      for (size_t i = 0; i < bytes; ++i) offset |= size_t{in[pos + i]} << (8 * i);
      pos += bytes;
    }
    if (offset == 0 || offset > written || length - written < len) return std::nullopt;
    char* to = out.data() + written;
    const char* from = to - offset;
    if (offset >= len) {
      std::memcpy(to, from, len);
    } else {
      for (size_t i = 0; i < len; ++i) to[i] = from[i];  // overlapping: repeats the last `offset` bytes
    }
    written += len;
  }
  if (written != length) return std::nullopt;
  return out;
}

}  // namespace ampere::lake
