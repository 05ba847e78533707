#include "dbf/header.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "util/coding.h"
#include "xbase/file.h"

namespace xbase::dbf {

using namespace coding;

VersionInfo describe_version(uint8_t v, const std::string& file) {
  Location at{file, 0, {}, {}};
  switch (v) {
    case 0x02: return {Format::dbase3, memo::MemoKind::none, "FoxBASE"};
    case 0x03: return {Format::dbase3, memo::MemoKind::none, "dBASE III / FoxPro / Clipper, no memo"};
    case 0x05: return {Format::dbase4, memo::MemoKind::none, "dBASE V, no memo"};
    case 0x07: return {Format::dbase3, memo::MemoKind::none, "Visual Objects, no memo"};
    case 0x30: return {Format::vfp, memo::MemoKind::fpt, "Visual FoxPro"};
    case 0x31: return {Format::vfp, memo::MemoKind::fpt, "Visual FoxPro with autoincrement"};
    case 0x32: return {Format::vfp, memo::MemoKind::fpt, "Visual FoxPro 9 with varchar/varbinary/blob"};
    case 0x43: return {Format::dbase4, memo::MemoKind::none, "dBASE IV SQL table"};
    case 0x63: return {Format::dbase4, memo::MemoKind::none, "dBASE IV SQL system table"};
    case 0x7B: return {Format::dbase4, memo::MemoKind::dbt4, "dBASE IV with memo (0x7B)"};
    case 0x83: return {Format::dbase3, memo::MemoKind::dbt3, "dBASE III with memo"};
    case 0x87: return {Format::dbase3, memo::MemoKind::dbt3, "Visual Objects with memo"};
    case 0x8B: return {Format::dbase4, memo::MemoKind::dbt4, "dBASE IV with memo"};
    case 0xCB: return {Format::dbase4, memo::MemoKind::dbt4, "dBASE IV SQL table with memo"};
    case 0xF5: return {Format::fox2, memo::MemoKind::fpt, "FoxPro 2.x with memo"};
    case 0xFB: return {Format::fox2, memo::MemoKind::fpt, "FoxBASE with memo"};
    case 0x04:
    case 0x8C:
      throw Error(Errc::unsupported, at,
                  fmt::format("dBASE 7 table (version byte 0x{:02X}, 48-byte field descriptors) "
                              "is not supported",
                              v));
    case 0x06:
    case 0x86:
    case 0xE6:
    case 0xF6:
      throw Error(Errc::unsupported, at,
                  fmt::format("encrypted SIx table (version byte 0x{:02X}) is not supported", v));
    case 0xE5:
      throw Error(Errc::unsupported, at,
                  "SIx table with SMT memo (version byte 0xE5) is not supported");
    default:
      throw Error(Errc::format, at,
                  fmt::format("not a DBF table: unknown version byte 0x{:02X}", v));
  }
}

namespace {

bool known_type(char t) {
  return std::string_view("CNFDLMGPIYTBVQW0").find(t) != std::string_view::npos;
}

bool is_vfp_only(FieldType t) {
  switch (t) {
    case FieldType::integer:
    case FieldType::currency:
    case FieldType::datetime:
    case FieldType::double_:
    case FieldType::varchar:
    case FieldType::varbinary:
    case FieldType::blob: return true;
    default: return false;
  }
}

// Assigns _NullFlags bits: for each user field in order, a length bit for V/Q, then a null
// bit for a nullable field (reference 2.13). Returns the number of bits.
int assign_null_bits(std::vector<Field>& fields) {
  int bit = 0;
  for (auto& f : fields) {
    if (f.type == FieldType::nullflags) continue;
    f.length_bit = f.null_bit = -1;
    if (f.type == FieldType::varchar || f.type == FieldType::varbinary) f.length_bit = bit++;
    if (f.nullable) f.null_bit = bit++;
  }
  return bit;
}

}  // namespace

// dBASE II (version byte 0x02, also FoxBASE's): an 8-byte header (record count at 1-2, date at
// 3-5, record length at 6-7), then 16-byte field descriptors (name 11, type, length, address 2,
// decimals) ended by 0x0D, in a header of 521 bytes. True when the bytes hold together as one.
static bool looks_like_dbase2(const uint8_t* d, size_t size) {
  if (size < 8 || d[0] != 0x02) return false;
  const uint16_t record_len = get_le16(d + 6);
  unsigned sum = 1;
  for (size_t at = 8; at + 16 <= size && at < kDbase2HeaderLen; at += 16) {
    if (d[at] == 0x0D) return at > 8 && sum == record_len;
    if (!std::isalpha(d[at]) || (d[at + 11] != 'C' && d[at + 11] != 'N' && d[at + 11] != 'L') || !d[at + 12]) return false;
    sum += d[at + 12];
  }
  return false;
}

// A header looks_like_dbase2() accepted: the fields (C, N and L) as dBASE III has them, the
// records after the 521-byte header.
static Header parse_dbase2(const uint8_t* d, size_t size) {
  Header h;
  h.version = d[0];
  h.info = {Format::dbase3, memo::MemoKind::none, "dBASE II"};
  h.dbase2 = true;
  h.count = get_le16(d + 1);
  h.mm = d[3];
  h.dd = d[4];
  h.yy = d[5];
  h.record_len = get_le16(d + 6);
  h.header_len = uint16_t(kDbase2HeaderLen);
  uint32_t pos = 1;
  for (size_t at = 8; d[at] != 0x0D; at += 16) {
    Field f;
    for (size_t i = 0; i < 11 && d[at + i] != 0 && d[at + i] != ' '; ++i)
      f.name += char(std::toupper(d[at + i]));
    f.type = FieldType(char(d[at + 11]));
    f.length = d[at + 12];
    f.decimals = d[at + 15];
    f.offset = pos;
    pos += f.length;
    h.fields.push_back(std::move(f));
  }
  h.raw.assign(d, d + std::min(size, kDbase2HeaderLen));
  h.raw.resize(kDbase2HeaderLen);
  return h;
}

Header parse_header(const uint8_t* d, size_t size, const std::string& file,
                    std::vector<Warning>& warnings) {
  auto fail = [&](Errc c, uint64_t off, const std::string& msg) -> Error {
    return Error(c, Location{file, off, {}, {}}, msg);
  };
  if (size < 32)
    throw fail(Errc::format, 0, fmt::format("not a DBF table: file has only {} bytes", size));
  if (looks_like_dbase2(d, size)) return parse_dbase2(d, size);
  Header h;
  h.version = d[0];
  h.info = describe_version(h.version, file);
  h.yy = d[1];
  h.mm = d[2];
  h.dd = d[3];
  h.count = get_le32(d + 4);
  h.header_len = get_le16(d + 8);
  h.record_len = get_le16(d + 10);
  h.flags = d[28];
  h.cp_mark = d[29];
  if (h.header_len < 33)
    throw fail(Errc::format, 8,
               fmt::format("not a DBF table: header length {} is below the minimum 33", h.header_len));
  if (h.record_len < 1)
    throw fail(Errc::format, 10, "not a DBF table: record length is 0");
  if (h.header_len > size)
    throw fail(Errc::corrupt, 8,
               fmt::format("header length {} is past the end of the file ({} bytes)", h.header_len,
                           size));
  const bool vfp = h.info.format == Format::vfp;
  // Descriptors run from 32 until a slot starting with 0x0D, or the header's end.
  size_t off = 32;
  bool terminated = false;
  while (off + 32 <= h.header_len) {
    if (d[off] == 0x0D) {
      terminated = true;
      break;
    }
    if (d[off] == 0x00) {
      // Some writers end the descriptors with 0x00 instead of 0x0D (javadbf bug 77).
      warnings.push_back({WarnCode::descriptors_end_with_zero, {file, off, {}, {}}, "field descriptors end with 0x00 instead of 0x0D"});
      terminated = true;
      break;
    }
    const uint8_t* p = d + off;
    Field f;
    size_t nlen = 0;
    while (nlen < 11 && p[nlen] != 0) ++nlen;
    for (size_t i = 0; i < nlen; ++i) {
      char c = char(p[i]);
      if (c == ' ') break;
      f.name += char(std::toupper(static_cast<unsigned char>(c)));
    }
    char t = char(p[11]);
    if (t >= 'a' && t <= 'z') t = char(t - 32);
    f.type = FieldType(t);
    f.length = p[16];
    f.decimals = p[17];
    if (vfp) {
      uint8_t fl = p[18];
      f.system = fl & 0x01;
      f.nullable = fl & 0x02;
      f.binary = fl & 0x04;
      f.autoinc = (fl & 0x08) && f.type == FieldType::integer;
      if (f.autoinc) {
        f.autoinc_next = int32_t(get_le32(p + 19));
        f.autoinc_step = p[23];
      }
    }
    if (f.type == FieldType::nullflags || f.name == "_NULLFLAGS") {
      f.type = FieldType::nullflags;
      f.system = true;
      f.name = "_NullFlags";
    }
    if (f.name.empty()) f.name = fmt::format("FIELD{}", h.fields.size() + 1);
    if (!known_type(t))
      warnings.push_back({WarnCode::unknown_field_type, {file, off + 11, {}, f.name},
                          fmt::format("unknown field type '{}' (0x{:02X}): its bytes are read raw",
                                      std::isprint(static_cast<unsigned char>(t)) ? t : '?',
                                      uint8_t(t))});
    h.fields.push_back(std::move(f));
    off += 32;
  }
  if (!terminated) {
    if (off < h.header_len && off + 32 > h.header_len && d[off] == 0x0D) {
      terminated = true;
    } else {
      warnings.push_back(
          {WarnCode::no_descriptor_terminator, {file, off, {}, {}}, "no 0x0D terminator after the field descriptors"});
    }
  }
  if (h.fields.empty()) throw fail(Errc::corrupt, 32, "the table has no field descriptors");

  // Lengths: Clipper stores long C fields as length + 256 * decimals on non-VFP tables.
  // Use that reading only when it is what makes the fields add up to the record length.
  auto total = [&](bool clipper) {
    uint32_t sum = 1;
    for (const auto& f : h.fields)
      sum += (clipper && !vfp && f.type == FieldType::character) ? f.length + 256u * f.decimals
                                                                 : f.length;
    return sum;
  };
  if (!vfp && total(false) != h.record_len && total(true) == h.record_len) {
    for (auto& f : h.fields)
      if (f.type == FieldType::character && f.decimals) {
        f.length = uint16_t(f.length + 256 * f.decimals);
        f.decimals = 0;
      }
  }
  uint32_t pos = 1;
  for (size_t i = 0; i < h.fields.size(); ++i) {
    auto& f = h.fields[i];
    if (f.length == 0)
      throw fail(Errc::corrupt, Header::descriptor_offset(i) + 16,
                 fmt::format("field {} has length 0", f.name));
    f.offset = pos;
    pos += f.length;
  }
  const bool short_record_len = pos > h.record_len;
  if (short_record_len) {
    // Some writers leave the deletion flag out of the record length (stations_with_deleted.dbf
    // says 1016 for 1 + 1016 bytes of fields, and its records are 1017 bytes apart). The field
    // descriptors are the only description of the record layout, so records are read with it.
    if (pos > 65535)
      throw fail(Errc::corrupt, 10,
                 fmt::format("fields need {} bytes per record, more than a record can hold", pos));
    warnings.push_back({WarnCode::record_length_short, {file, 10, {}, {}},
                        fmt::format("record length {} is smaller than the fields need ({}); "
                                    "records are read as {} bytes",
                                    h.record_len, pos, pos)});
    h.record_len = uint16_t(pos);
  }
  if (pos < h.record_len)
    warnings.push_back({WarnCode::record_length_long, {file, 10, {}, {}},
                        fmt::format("record length {} is larger than the fields need ({}); the "
                                    "extra bytes are ignored",
                                    h.record_len, pos)});

  // Per-type sanity: memo pointers of 4 or 10 bytes, fixed-size binary types.
  for (size_t i = 0; i < h.fields.size(); ++i) {
    auto& f = h.fields[i];
    uint64_t at = Header::descriptor_offset(i) + 16;
    auto need = [&](std::initializer_list<int> lens) {
      for (int l : lens)
        if (f.length == l) return;
      throw fail(Errc::corrupt, at,
                 fmt::format("field {} of type {} has impossible length {}", f.name, char(f.type),
                             f.length));
    };
    switch (f.type) {
      case FieldType::memo:
      case FieldType::general:
      case FieldType::picture: need({4, 10}); break;
      case FieldType::blob: need({4}); break;
      case FieldType::date: need({8}); break;
      case FieldType::logical: need({1}); break;
      case FieldType::currency:
      case FieldType::datetime: need({8}); break;
      case FieldType::integer: need({4}); break;
      case FieldType::double_:
        // dBASE 5/7 'B' is a 10-byte binary memo pointer; VFP 'B' is an 8-byte double.
        if (vfp) need({8});
        else need({10});
        break;
      case FieldType::nullflags: h.nullflags = int(i); break;
      default: break;
    }
  }
  if (vfp) {
    int bits = assign_null_bits(h.fields);
    if (bits > 0 && h.nullflags < 0) {
      warnings.push_back({WarnCode::nullflags_missing, {file, 32, {}, {}},
                          "fields are marked nullable or varying but _NullFlags is missing; "
                          "null and length information is ignored"});
      for (auto& f : h.fields) {
        f.null_bit = f.length_bit = -1;
        f.nullable = false;
      }
    } else if (h.nullflags >= 0 && bits > 8 * h.fields[size_t(h.nullflags)].length) {
      throw fail(Errc::corrupt, Header::descriptor_offset(size_t(h.nullflags)) + 16,
                 fmt::format("_NullFlags has {} bytes but {} bits are needed",
                             h.fields[size_t(h.nullflags)].length, bits));
    }
  }
  h.raw.assign(d, d + h.header_len);
  if (short_record_len) put_le16(h.raw.data() + 10, h.record_len);  // what a rewrite (pack) writes
  return h;
}

Header read_header(File& f, std::vector<Warning>& warnings, std::vector<uint8_t>* prefix) {
  std::vector<uint8_t> first;
  const bool whole_file = read_whole_within(f, kHeaderReadAhead, first);
  size_t n = first.size();
  if (n < 32)
    throw Error(Errc::format, {f.path(), 0, {}, {}},
                fmt::format("not a DBF table: file has only {} bytes", n));
  uint16_t hl = get_le16(first.data() + 8);
  // dBASE II's header is 521 bytes whatever bytes 8-9 hold (parse_header tells it apart).
  size_t want = std::max<size_t>(first[0] == 0x02 ? std::max<size_t>(hl, kDbase2HeaderLen) : hl, 32);
  Header h;
  if (want <= n || whole_file) {  // all of it, or all the file has
    h = parse_header(first.data(), std::min(want, n), f.path(), warnings);
  } else {
    std::vector<uint8_t> buf(want);
    n = f.read_at(0, buf.data(), buf.size());
    h = parse_header(buf.data(), n, f.path(), warnings);
  }
  if (prefix) *prefix = std::move(first);
  return h;
}

uint16_t layout_fields(std::vector<Field>& fields, Format format) {
  // Drop any _NullFlags the caller passed: it is derived from the other fields.
  std::erase_if(fields, [](const Field& f) { return f.type == FieldType::nullflags; });
  if (fields.empty()) throw Error(Errc::usage, {}, "a table needs at least one field");
  const bool vfp = format == Format::vfp;
  for (auto& f : fields) {
    if (!vfp && is_vfp_only(f.type))
      throw Error(Errc::usage, {},
                  fmt::format("field {}: type {} exists only in Visual FoxPro tables", f.name,
                              char(f.type)));
    if (!vfp && (f.nullable || f.autoinc))
      throw Error(Errc::usage, {},
                  fmt::format("field {}: NULL and AUTOINC exist only in Visual FoxPro tables",
                              f.name));
    if (f.is_memo()) {
      if (format == Format::dbase3 || format == Format::dbase4) {
        if (f.type != FieldType::memo)
          throw Error(Errc::usage, {},
                      fmt::format("field {}: dBASE tables have only M memo fields", f.name));
      }
      f.length = vfp ? 4 : 10;
    }
    switch (f.type) {
      case FieldType::numeric:
      case FieldType::floating:
        if (f.length > 20 || f.length < 1)
          throw Error(Errc::usage, {}, fmt::format("field {}: numeric length must be 1..20", f.name));
        if (f.decimals && f.decimals + 2 > f.length)
          throw Error(Errc::usage, {},
                      fmt::format("field {}: {} decimals need a length of at least {}", f.name,
                                  f.decimals, f.decimals + 2));
        break;
      case FieldType::character:
      case FieldType::varchar:
      case FieldType::varbinary:
        if (f.length < 1 || f.length > 254)
          throw Error(Errc::usage, {}, fmt::format("field {}: length must be 1..254", f.name));
        f.decimals = 0;
        break;
      default: break;
    }
    if (vfp) {
      switch (f.type) {
        case FieldType::integer:
        case FieldType::currency:
        case FieldType::datetime:
        case FieldType::double_:
        case FieldType::varbinary:
        case FieldType::blob:
        case FieldType::general:
        case FieldType::picture: f.binary = true; break;
        default: break;
      }
    } else {
      f.binary = false;
    }
  }
  if (vfp) {
    int bits = assign_null_bits(fields);
    if (bits > 0) {
      Field nf;
      nf.name = "_NullFlags";
      nf.type = FieldType::nullflags;
      nf.length = uint16_t((bits + 7) / 8);
      nf.system = true;
      nf.binary = true;
      fields.push_back(nf);
    }
  }
  uint32_t pos = 1;
  for (auto& f : fields) {
    f.offset = pos;
    pos += f.length;
  }
  if (pos > 65535) throw Error(Errc::usage, {}, "record longer than 65535 bytes");
  return uint16_t(pos);
}

Header build_header(Format format, std::vector<Field> fields, uint8_t cp_mark) {
  Header h;
  h.record_len = layout_fields(fields, format);
  bool memo = false, autoinc = false, varlen = false;
  for (const auto& f : fields) {
    memo |= f.is_memo();
    autoinc |= f.autoinc;
    varlen |= f.type == FieldType::varchar || f.type == FieldType::varbinary ||
              f.type == FieldType::blob;
  }
  switch (format) {
    case Format::vfp: h.version = varlen ? 0x32 : autoinc ? 0x31 : 0x30; break;
    case Format::fox2: h.version = memo ? 0xF5 : 0x03; break;
    case Format::dbase3: h.version = memo ? 0x83 : 0x03; break;
    case Format::dbase4: h.version = memo ? 0x8B : 0x03; break;
  }
  h.info = describe_version(h.version, "");
  h.info.format = format;  // 0x03 stands for several products; keep the one asked for
  if (!memo) h.info.memo = memo::MemoKind::none;
  const bool vfp = format == Format::vfp;
  size_t n = fields.size();
  h.header_len = uint16_t(32 + 32 * n + 1 + (vfp ? 263 : 0));
  h.flags = (vfp && memo) ? 0x02 : 0x00;
  h.cp_mark = cp_mark;
  h.raw.assign(h.header_len, 0);
  uint8_t* d = h.raw.data();
  d[0] = h.version;
  put_le16(d + 8, h.header_len);
  put_le16(d + 10, h.record_len);
  d[28] = h.flags;
  d[29] = cp_mark;
  for (size_t i = 0; i < n; ++i) {
    const Field& f = fields[i];
    uint8_t* p = d + 32 + 32 * i;
    std::copy_n(f.name.begin(), std::min<size_t>(f.name.size(), 10), p);
    p[11] = uint8_t(f.type);
    if (format == Format::vfp || format == Format::fox2) put_le32(p + 12, f.offset);
    p[16] = uint8_t(f.length);
    p[17] = f.decimals;
    if (vfp) {
      uint8_t fl = 0;
      if (f.system) fl |= 0x01;
      if (f.nullable) fl |= 0x02;
      if (f.binary) fl |= 0x04;
      if (f.autoinc) fl |= 0x0C;
      p[18] = fl;
      if (f.autoinc) {
        put_le32(p + 19, uint32_t(f.autoinc_next));
        p[23] = f.autoinc_step;
      }
    }
    if (f.type == FieldType::nullflags) h.nullflags = int(i);
  }
  d[32 + 32 * n] = 0x0D;
  h.fields = std::move(fields);
  return h;
}

void stamp_header(Header& h, Format format, int year, int month, int day) {
  // dBASE stores years since 1900, FoxPro and VFP the year modulo 100.
  h.yy = uint8_t((format == Format::dbase3 || format == Format::dbase4) ? year - 1900 : year % 100);
  h.mm = uint8_t(month);
  h.dd = uint8_t(day);
  h.raw[1] = h.yy;
  h.raw[2] = h.mm;
  h.raw[3] = h.dd;
  put_le32(h.raw.data() + 4, h.count);
}

int expand_year(uint8_t yy, int this_year) {
  if (yy >= 100) return 1900 + yy;
  int y = 2000 + yy;
  return y > this_year + 1 ? y - 100 : y;
}

}  // namespace xbase::dbf
