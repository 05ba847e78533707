// Tables of every format for the engine's tests: creating and reopening them, cp1252 texts and
// binary values of a given size as memos hold them, and the block a memo field points at.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "xbase/codepage.h"
#include "xbase/table.h"

namespace xbase::test::formats {

namespace fs = std::filesystem;
using xbase::Format;
using xbase::Table;
using xbase::Value;

inline const Format kFormats[] = {Format::vfp, Format::fox2, Format::dbase3, Format::dbase4};

inline const xbase::Codepage& cp1252() { return xbase::Codepage::get(1252); }

// n table bytes of cp1252 text (letters, é, €, CR LF), as the UTF-8 Value that stores them.
inline Value memo_text(size_t n, char seed = 'a') {
  static const std::string pattern = "abc\xE9\x80xyz\r\nQ";
  std::string bytes;
  for (size_t i = 0; i < n; ++i) bytes += i % 7 == 3 ? char(seed) : pattern[i % pattern.size()];
  return Value::text(cp1252().decode(bytes));
}

// n bytes covering every byte value.
inline Value memo_binary(size_t n, int seed = 0) {
  std::string bytes;
  for (size_t i = 0; i < n; ++i) bytes += char((i * 7 + size_t(seed)) % 256);
  return Value::binary(bytes);
}

inline size_t stored_size(const Value& v) {
  return v.kind() == Value::Kind::text ? cp1252().encode(v.str()).size() : v.str().size();
}

inline std::unique_ptr<Table> create(const fs::path& p, Format format, const std::string& spec,
                                     int codepage = 1252) {
  xbase::CreateOptions o;
  o.format = format;
  o.codepage = codepage;
  return Table::create(p, xbase::parse_field_list(spec), o);
}

// The memo file beside a table: FPT for the FoxPro formats, DBT for dBASE.
inline fs::path memo_file(fs::path dbf, Format format) {
  return dbf.replace_extension(format == Format::vfp || format == Format::fox2 ? ".fpt" : ".dbt");
}

// Exclusive use, as the changes of these tests (zap, pack, write-behind) need.
inline std::unique_ptr<Table> reopen(const fs::path& p) {
  xbase::OpenOptions o;
  o.exclusive = true;
  return Table::open(p, o);
}

// The block number a memo field points at, read from the raw record bytes.
inline uint32_t memo_block(const xbase::Record& r, size_t field) {
  std::string_view raw = r.raw(field);
  if (raw.size() == 4)
    return uint32_t(uint8_t(raw[0])) | uint32_t(uint8_t(raw[1])) << 8 |
           uint32_t(uint8_t(raw[2])) << 16 | uint32_t(uint8_t(raw[3])) << 24;
  REQUIRE(raw.size() == 10);
  uint32_t b = 0;
  for (char c : raw)
    if (c != ' ') b = b * 10 + uint32_t(c - '0');
  return b;
}

}  // namespace xbase::test::formats
