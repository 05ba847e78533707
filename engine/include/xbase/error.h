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
};

const char* errc_name(Errc c);

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
  Location where;
  std::string message;
  std::string to_string() const;
};

// "FILE: offset N: record R: field F: " — the common prefix of messages.
std::string format_location(const Location& where);

}  // namespace xbase
