#include "lake/thrift_compact.hpp"

namespace ampere::lake {

uint8_t ThriftReader::read_byte() {
  if (!ok_ || pos_ >= data_.size()) {
    fail();
    return 0;
  }
  return static_cast<uint8_t>(data_[pos_++]);
}

uint64_t ThriftReader::read_varint() {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    const uint8_t byte = read_byte();
    value |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80u) == 0) return value;
  }
  fail();
  return 0;
}

int64_t ThriftReader::read_int() {
  const uint64_t v = read_varint();
  return static_cast<int64_t>(v >> 1u) ^ -static_cast<int64_t>(v & 1u);
}

std::string_view ThriftReader::read_binary() {
  const uint64_t size = read_varint();
  if (!ok_ || size > data_.size() - pos_) {
    fail();
    return {};
  }
  const std::string_view out = data_.substr(pos_, size);
  pos_ += size;
  return out;
}

size_t ThriftReader::read_list_header(uint8_t& element_type) {
  const uint8_t header = read_byte();
  element_type = header & 0x0fu;
  uint64_t size = header >> 4u;
  if (size == 15) size = read_varint();
  if (!ok_ || size > data_.size() - pos_) {  // every element takes at least one byte
    fail();
    return 0;
  }
  return size;
}

void ThriftReader::skip_element(uint8_t type) {
  if (type == kTrue || type == kFalse) {
    read_byte();  // a boolean in a list or map takes a byte
  } else {
    skip(type);
  }
}

void ThriftReader::skip(uint8_t type) {
  switch (type) {
    case kTrue:
    case kFalse:
      return;
    case kByte:
      read_byte();
      return;
    case kI16:
    case kI32:
    case kI64:
      read_varint();
      return;
    case kDouble:
      if (data_.size() - pos_ < 8) fail();
      pos_ += ok_ ? 8 : 0;
      return;
    case kBinary:
      read_binary();
      return;
    case kList:
    case kSet: {
      uint8_t element = 0;
      const size_t size = read_list_header(element);
      if (++depth_ > kMaxDepth) fail();
      for (size_t i = 0; i < size && ok_; ++i) skip_element(element);
      --depth_;
      return;
    }
    case kMap: {
      const uint64_t size = read_varint();
      if (size == 0) return;
      const uint8_t types = read_byte();
      if (!ok_ || size > data_.size() - pos_) {
        fail();
        return;
      }
      if (++depth_ > kMaxDepth) fail();
      for (uint64_t i = 0; i < size && ok_; ++i) {
        skip_element(types >> 4u);
        skip_element(types & 0x0fu);
      }
      --depth_;
      return;
    }
    case kStruct:
      read_struct([this](int16_t, uint8_t field_type) { skip(field_type); });
      return;
    default:
      fail();
  }
}

}  // namespace ampere::lake
