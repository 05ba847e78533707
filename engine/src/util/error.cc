#include "xbase/error.h"

#include <fmt/format.h>

namespace xbase {

const char* errc_name(Errc c) {
  switch (c) {
    case Errc::io: return "io";
    case Errc::format: return "format";
    case Errc::corrupt: return "corrupt";
    case Errc::bad_value: return "bad_value";
    case Errc::unsupported: return "unsupported";
    case Errc::codepage: return "codepage";
    case Errc::overflow: return "overflow";
    case Errc::usage: return "usage";
    case Errc::not_found: return "not_found";
    case Errc::lock_timeout: return "lock_timeout";
    case Errc::in_use: return "in_use";
    case Errc::duplicate: return "duplicate";
    case Errc::disk_full: return "disk_full";
    case Errc::retry: return "retry";
  }
  return "unknown";
}

const char* warn_code_name(WarnCode c) {
  switch (c) {
    case WarnCode::descriptors_end_with_zero: return "descriptors_end_with_zero";
    case WarnCode::no_descriptor_terminator: return "no_descriptor_terminator";
    case WarnCode::unknown_field_type: return "unknown_field_type";
    case WarnCode::record_length_short: return "record_length_short";
    case WarnCode::record_length_long: return "record_length_long";
    case WarnCode::nullflags_missing: return "nullflags_missing";
    case WarnCode::count_too_high: return "count_too_high";
    case WarnCode::count_too_low: return "count_too_low";
    case WarnCode::bytes_after_eof_marker: return "bytes_after_eof_marker";
    case WarnCode::no_eof_marker: return "no_eof_marker";
    case WarnCode::partial_record: return "partial_record";
    case WarnCode::codepage_unsupported: return "codepage_unsupported";
    case WarnCode::memo_missing: return "memo_missing";
    case WarnCode::memo_unreadable: return "memo_unreadable";
    case WarnCode::memo_block_size_zero: return "memo_block_size_zero";
    case WarnCode::memo_block_size_invalid: return "memo_block_size_invalid";
    case WarnCode::memo_next_free_bad: return "memo_next_free_bad";
    case WarnCode::structural_index_missing: return "structural_index_missing";
    case WarnCode::index_unusable: return "index_unusable";
    case WarnCode::tag_unmaintainable: return "tag_unmaintainable";
    case WarnCode::database_missing: return "database_missing";
    case WarnCode::database_unreadable: return "database_unreadable";
    case WarnCode::database_table_unknown: return "database_table_unknown";
    case WarnCode::database_code_not_run: return "database_code_not_run";
    case WarnCode::journal_stale: return "journal_stale";
    case WarnCode::value_unreadable: return "value_unreadable";
  }
  return "unknown";
}

std::string format_location(const Location& w) {
  std::string s;
  if (!w.file.empty()) s += w.file + ": ";
  if (w.offset) s += fmt::format("offset {}: ", *w.offset);
  if (w.record) s += fmt::format("record {}: ", *w.record);
  if (!w.field.empty()) s += fmt::format("field {}: ", w.field);
  return s;
}

Error::Error(Errc code, Location where, const std::string& what)
    : std::runtime_error(format_location(where) + what),
      code_(code),
      where_(std::move(where)),
      detail_(what) {}

std::string Warning::to_string() const { return format_location(where) + message; }

}  // namespace xbase
