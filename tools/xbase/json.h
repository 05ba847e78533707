// A small JSON reader and string escaper for the tool's JSONL format. Numbers keep their
// source text so that N/F values load exactly as written (no binary floating point).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xbase::tool::json {

struct Node {
  enum class Type { null, boolean, number, string, array, object } type = Type::null;
  bool b = false;
  std::string s;  // string value, or the number's source text
  std::vector<Node> items;
  // Object members as parallel lists (a vector of pairs would need Node complete here).
  std::vector<std::string> keys;
  std::vector<Node> values;
  const Node* find(std::string_view key) const;
};

struct ParseError : std::runtime_error {
  ParseError(size_t off, const std::string& msg)
      : std::runtime_error("at byte " + std::to_string(off) + ": " + msg), offset(off) {}
  size_t offset;
};

Node parse(std::string_view text);
void append_string(std::string& out, std::string_view s);  // quoted and escaped

}  // namespace xbase::tool::json
