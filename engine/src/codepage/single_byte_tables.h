// The single-byte codepages as data, the same on every platform: each byte's character and
// the bytes UPPER() and LOWER() make of it. The platforms' own tables differ (Windows maps
// IBM PC control bytes 1A/1C/7F to themselves, µ in cp437 to U+00B5, and its case mapping
// leaves ς, ı and İ alone), and index keys written by a Windows workstation must equal those
// of a Linux one. Made from ICU by the generator in tests/engine/codepage/codepage_tables_test.cc,
// which also checks on Linux that they are still ICU's.
#pragma once

#include <cstddef>
#include <cstdint>

namespace xbase::codepage {

struct SingleByteTable {
  int number;        // 1252, 850, ...
  const char* icu;   // ICU's name, for the generator and its check
  uint16_t chars[256];
  uint8_t upper[256];
  uint8_t lower[256];
};

extern const SingleByteTable kSingleByteTables[];
extern const size_t kSingleByteTableCount;

// nullptr when `number` is no single-byte codepage of the tables.
const SingleByteTable* single_byte_table(int number);

}  // namespace xbase::codepage
