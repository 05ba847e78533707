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
