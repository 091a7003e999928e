#pragma once
// A reader of Thrift's compact protocol, the encoding of Parquet's footer (FileMetaData) and page
// headers: structs as (field id, type) headers with zigzag-varint integers, lists and binaries.
// Every read is bounds-checked; a malformed input clears ok() and reads then return zero values.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ampere::lake {

class ThriftReader {
 public:
  /// Compact-protocol type codes (field headers and list elements).
  enum Type : uint8_t {
    kTrue = 1,
    kFalse = 2,
    kByte = 3,
    kI16 = 4,
    kI32 = 5,
    kI64 = 6,
    kDouble = 7,
    kBinary = 8,
    kList = 9,
    kSet = 10,
    kMap = 11,
    kStruct = 12
  };

  explicit ThriftReader(std::string_view bytes) : data_(bytes) {}

  bool ok() const { return ok_; }
  size_t position() const { return pos_; }

  /// Reads a struct: calls on_field(id, type) for each field, which must read the field's value
  /// (read_int, read_binary, a nested read_struct, ...) or skip(type). False when malformed.
  template <class OnField>
  bool read_struct(OnField&& on_field) {
    if (++depth_ > kMaxDepth) return fail();
    int16_t last = 0;
    while (ok_) {
      const uint8_t header = read_byte();
      if (header == 0) break;  // stop
      const uint8_t type = header & 0x0fu;
      const int delta = header >> 4u;
      last = delta != 0 ? static_cast<int16_t>(last + delta) : static_cast<int16_t>(read_int());
      if (ok_) on_field(last, type);
    }
    --depth_;
    return ok_;
  }

  /// An i16/i32/i64 value (zigzag varint).
  int64_t read_int();
  /// A boolean field's value, which compact structs keep in the field type.
  static bool field_bool(uint8_t type) { return type == kTrue; }
  /// A binary or string value (a view into the input).
  std::string_view read_binary();
  /// A list's header: its element count and element type.
  size_t read_list_header(uint8_t& element_type);
  /// Skips a value of `type`.
  void skip(uint8_t type);

 private:
  static constexpr int kMaxDepth = 32;
  bool fail() {
    ok_ = false;
    return false;
  }
  uint8_t read_byte();
  uint64_t read_varint();
  void skip_element(uint8_t type);

  std::string_view data_;
  size_t pos_ = 0;
  int depth_ = 0;
  bool ok_ = true;
};

}  // namespace ampere::lake
