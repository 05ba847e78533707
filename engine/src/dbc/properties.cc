#include "dbc/properties.h"

#include <fmt/format.h>

namespace xbase::dbc {

namespace {
// The values that are numbers, not NUL-terminated text.
bool binary_value(uint8_t id) { return id == db_version || id == object_class || id == index_primary; }
}  // namespace

std::optional<std::string> Properties::get(uint8_t id) const {
  for (const auto& e : entries)
    if (e.id == id) return e.value;
  return std::nullopt;
}

Properties parse_properties(std::span<const uint8_t> memo) {
  Properties out;
  size_t at = 0;
  while (at < memo.size()) {
    // Some writers pad the memo's last block with zeros: a zero length ends the list.
    if (memo.size() - at < 4) {
      out.problem = fmt::format("offset {}: {} bytes left, too few for an entry length", at, memo.size() - at);
      break;
    }
    const uint32_t len = uint32_t(memo[at]) | uint32_t(memo[at + 1]) << 8 |
                         uint32_t(memo[at + 2]) << 16 | uint32_t(memo[at + 3]) << 24;
    if (len == 0) break;
    if (len < 7) {
      out.problem = fmt::format("offset {}: entry length {} is shorter than its 7-byte header", at, len);
      break;
    }
    if (len > memo.size() - at) {
      out.problem = fmt::format("offset {}: entry length {} runs past the end of the memo ({} bytes)",
                                at, len, memo.size());
      break;
    }
    Property p;
    p.kind = uint16_t(memo[at + 4] | memo[at + 5] << 8);
    p.id = memo[at + 6];
    p.value.assign(reinterpret_cast<const char*>(memo.data() + at + 7), len - 7);
    if (!binary_value(p.id) && !p.value.empty() && p.value.back() == '\0') p.value.pop_back();
    out.entries.push_back(std::move(p));
    at += len;
  }
  return out;
}

std::string encode_properties(const std::vector<Property>& entries) {
  std::string out;
  for (const auto& p : entries) {
    const bool text = !binary_value(p.id);  // text values carry their NUL
    const uint32_t len = uint32_t(7 + p.value.size() + (text ? 1 : 0));
    for (int i = 0; i < 4; ++i) out.push_back(char(len >> (8 * i)));
    out.push_back(char(p.kind & 0xFF));
    out.push_back(char(p.kind >> 8));
    out.push_back(char(p.id));
    out += p.value;
    if (text) out.push_back('\0');
  }
  return out;
}

}  // namespace xbase::dbc
