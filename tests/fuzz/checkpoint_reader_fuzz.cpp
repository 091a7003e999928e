// libFuzzer target: our Parquet reader of Delta checkpoints on arbitrary bytes (seeded with a checkpoint
// our writer made). Every input must be read or refused as unsupported or corrupt: no crash, no
// out-of-bounds read, no sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "lake/checkpoint_reader.hpp"
#include "lake/parquet_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = ampere::lake::ParquetFile::parse(std::string(reinterpret_cast<const char*>(data), size));
  if (!file) return 0;
  ampere::lake::DeltaCommit commit;
  (void)ampere::lake::read_checkpoint_actions(*file, commit);
  return 0;
}
