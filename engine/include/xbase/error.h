// Errors and warnings reported by the engine. The engine never prints: it throws
// xbase::Error or hands a Warning to the caller.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace xbase {

enum class Errc {
  io,           // the operating system refused a read/write/open
  format,       // not a file we can read (unknown version, not a DBF at all)
  corrupt,      // a structure that should be valid is not (bad pointer, count, length)
  bad_value,    // a stored field value does not decode for its type
  unsupported,  // a valid file using a feature we do not implement
  codepage,     // text that cannot be represented in the table's codepage
  overflow,     // a value does not fit its field
  usage,        // the caller asked for something impossible (no such field, bad schema)
  not_found,    // a file or record that does not exist
  lock_timeout, // a lock could not be obtained in time
  in_use,       // exclusive use refused: another program has the table open (or the reverse)
  duplicate,    // the key is in a CANDIDATE tag already (another record holds it)
  disk_full,    // a write found no space left on the disk (or the user's quota used up)
  retry,        // nothing was changed: what the change read may predate another program's commit,
                // completed meanwhile after that program stopped (docs/transactions.md); do it again
};

const char* errc_name(Errc c);
// Busy rather than broken: someone holds what was needed, or a stopped program's change was
// completed meanwhile; the same call may succeed a moment later.
inline bool busy(Errc c) { return c == Errc::lock_timeout || c == Errc::in_use || c == Errc::retry; }

// What a Warning is about. Callers that act on warnings (check, repair) decide by the code,
// never by the message, so messages can be reworded freely.
enum class WarnCode {
  // Header and field descriptors.
  descriptors_end_with_zero,   // descriptors end with 0x00 instead of 0x0D
  no_descriptor_terminator,    // no 0x0D after the field descriptors
  unknown_field_type,          // a field type we do not know; its bytes are read raw
  record_length_short,         // record length smaller than the fields need
  record_length_long,          // record length larger than the fields need
  nullflags_missing,           // nullable/varying fields without _NullFlags
  count_too_high,              // header's record count more than the file holds
  count_too_low,               // header's record count less than the file holds
  bytes_after_eof_marker,      // bytes after the 0x1A end-of-file marker
  no_eof_marker,               // no 0x1A after the last record
  partial_record,              // bytes after the last whole record (a record cut short)
  codepage_unsupported,        // codepage mark we cannot decode; default codepage used
  // Memo file.
  memo_missing,                // the table has memo fields but no memo file
  memo_unreadable,             // the memo file could not be opened
  memo_block_size_zero,        // FPT block size 0 read as 1
  memo_block_size_invalid,     // dBASE IV block size not a multiple of 64; 512 used
  memo_next_free_bad,          // next free block inside the header or past the end
  // Indexes.
  structural_index_missing,    // header flag says structural index, the file is missing
  index_unusable,              // the index could not be opened or rebuilt; it is not used
  tag_unmaintainable,          // a tag whose expression cannot be evaluated/maintained
  // Visual FoxPro database container (DBC).
  database_missing,            // the backlink's DBC is missing: short field names only
  database_unreadable,         // the DBC, or an object record in it, did not read
  database_table_unknown,      // the DBC has no entry for this table, or its fields differ
  database_code_not_run,       // a write to a table with DBC triggers or rules did not run them
  // Other.
  journal_stale,               // a stopped program's commit could not be completed
  value_unreadable,            // a stored value did not decode (tolerant reading)
};

const char* warn_code_name(WarnCode c);

// Where a problem lies. Unset members are simply not mentioned in the message.
struct Location {
  std::string file;
  std::optional<uint64_t> offset;
  std::optional<uint32_t> record;
  std::string field;
};

class Error : public std::runtime_error {
 public:
  Error(Errc code, Location where, const std::string& what);
  Errc code() const { return code_; }
  const Location& where() const { return where_; }
  // The message without the location prefix.
  const std::string& detail() const { return detail_; }

 private:
  Errc code_;
  Location where_;
  std::string detail_;
};

// A problem the engine worked around (tolerant reading); the caller decides whether to show it.
struct Warning {
  WarnCode code;
  Location where;
  std::string message;
  std::string to_string() const;
};

// "FILE: offset N: record R: field F: " — the common prefix of messages.
std::string format_location(const Location& where);

}  // namespace xbase
