// One codec per field type: stored bytes <-> xbase::Value.
#pragma once

#include <cstdint>
#include <string>

#include "xbase/codepage.h"
#include "xbase/error.h"
#include "xbase/schema.h"
#include "xbase/value.h"

namespace xbase::memo {
class MemoFile;
}

namespace xbase::dbf {

struct CodecContext {
  const Codepage* cp = nullptr;
  memo::MemoFile* memo = nullptr;  // null when the table has no (or a missing) memo file
  Format format = Format::vfp;
  const Field* nullflags = nullptr;
  Location where;                  // file, record (the field is filled in per call)
  uint64_t record_offset = 0;      // file offset of the record, for error messages
};

Value decode_field(const Field& f, const uint8_t* rec, const CodecContext& ctx);
void encode_field(const Field& f, const Value& v, uint8_t* rec, const CodecContext& ctx);
// Writes the blank value of the field (new records); leaves memo files alone.
void blank_field(const Field& f, uint8_t* rec, const CodecContext& ctx);

// The memo block number stored in a memo-type field (0 = none); throws on a garbled pointer.
uint32_t memo_pointer(const Field& f, const uint8_t* rec, const CodecContext& ctx);
void set_memo_pointer(const Field& f, uint8_t* rec, uint32_t block);

bool get_bit(const uint8_t* rec, const Field& nullflags, int bit);
void set_bit(uint8_t* rec, const Field& nullflags, int bit, bool on);

// --- the raw readings of a field's bytes, shared by decode_field (which adds the checks and
// the Value) and the expression evaluator (which must read damaged records leniently, as the
// index keys of other xBase engines do). ---------------------------------------------------
// Every byte blank or NUL.
bool all_blank(const uint8_t* p, size_t n);
// The used length of a varchar/varbinary field: its last byte when the length bit is set
// (clamped, so a corrupt length byte cannot reach past the field), else the whole field.
size_t varchar_length(const Field& f, const uint8_t* rec, const Field* nullflags);
// YYYYMMDD as 8 ASCII digits into `d` (not checked as a calendar date); false when any byte
// is not a digit.
bool date_digits(const uint8_t* p, Date& d);
// A logical field's byte: T/t/Y/y true, F/f/N/n false, anything else (' ', '?', NUL) not
// initialised.
enum class Logical { no, yes, unset };
Logical logical_byte(uint8_t b);
// A numeric field's text as far as it reads as a number (strtod), 0 when it does not.
double lenient_number(const uint8_t* p, size_t n);

// Rounds a canonical decimal to `decimals` places (half away from zero) and pads with zeros.
std::string round_decimal(const std::string& canonical, int decimals);

}  // namespace xbase::dbf
