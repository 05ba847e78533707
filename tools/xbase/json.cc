#include "json.h"

#include <cctype>

#include "common/text/json_text.h"

namespace xbase::tool::json {

const Node* Node::find(std::string_view key) const {
  for (size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == key) return &values[i];
  return nullptr;
}

namespace {

class Parser {
 public:
  explicit Parser(std::string_view t) : t_(t) {}

  Node document() {
    Node n = value(0);
    ws();
    if (p_ != t_.size()) fail("unexpected text after the value");
    return n;
  }

 private:
  [[noreturn]] void fail(const std::string& m) { throw ParseError(p_, m); }

  void ws() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\t' || t_[p_] == '\r' || t_[p_] == '\n')) ++p_;
  }

  bool lit(std::string_view w) {
    if (t_.substr(p_, w.size()) == w) {
      p_ += w.size();
      return true;
    }
    return false;
  }

  Node value(int depth) {
    if (depth > 64) fail("nesting too deep");
    ws();
    if (p_ >= t_.size()) fail("unexpected end of input");
    Node n;
    char c = t_[p_];
    if (c == '{') {
      n.type = Node::Type::object;
      ++p_;
      ws();
      if (p_ < t_.size() && t_[p_] == '}') {
        ++p_;
        return n;
      }
      for (;;) {
        ws();
        if (p_ >= t_.size() || t_[p_] != '"') fail("expected a member name");
        std::string k = string();
        ws();
        if (p_ >= t_.size() || t_[p_] != ':') fail("expected ':'");
        ++p_;
        n.keys.push_back(std::move(k));
        n.values.push_back(value(depth + 1));
        ws();
        if (p_ < t_.size() && t_[p_] == ',') {
          ++p_;
          continue;
        }
        if (p_ < t_.size() && t_[p_] == '}') {
          ++p_;
          return n;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c == '[') {
      n.type = Node::Type::array;
      ++p_;
      ws();
      if (p_ < t_.size() && t_[p_] == ']') {
        ++p_;
        return n;
      }
      for (;;) {
        n.items.push_back(value(depth + 1));
        ws();
        if (p_ < t_.size() && t_[p_] == ',') {
          ++p_;
          continue;
        }
        if (p_ < t_.size() && t_[p_] == ']') {
          ++p_;
          return n;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c == '"') {
      n.type = Node::Type::string;
      n.s = string();
      return n;
    }
    if (lit("true")) {
      n.type = Node::Type::boolean;
      n.b = true;
      return n;
    }
    if (lit("false")) {
      n.type = Node::Type::boolean;
      return n;
    }
    if (lit("null")) return n;
    if (c == '-' || (c >= '0' && c <= '9')) {
      size_t s = p_;
      if (t_[p_] == '-') ++p_;
      auto digits = [&] {
        size_t d = p_;
        while (p_ < t_.size() && std::isdigit(static_cast<unsigned char>(t_[p_]))) ++p_;
        if (p_ == d) fail("malformed number");
      };
      digits();
      if (p_ < t_.size() && t_[p_] == '.') {
        ++p_;
        digits();
      }
      if (p_ < t_.size() && (t_[p_] == 'e' || t_[p_] == 'E')) {
        ++p_;
        if (p_ < t_.size() && (t_[p_] == '+' || t_[p_] == '-')) ++p_;
        digits();
      }
      n.type = Node::Type::number;
      n.s = std::string(t_.substr(s, p_ - s));
      return n;
    }
    fail("unexpected character");
  }

  static void put_utf8(std::string& o, uint32_t c) {
    if (c < 0x80) {
      o += char(c);
    } else if (c < 0x800) {
      o += char(0xC0 | (c >> 6));
      o += char(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      o += char(0xE0 | (c >> 12));
      o += char(0x80 | ((c >> 6) & 0x3F));
      o += char(0x80 | (c & 0x3F));
    } else {
      o += char(0xF0 | (c >> 18));
      o += char(0x80 | ((c >> 12) & 0x3F));
      o += char(0x80 | ((c >> 6) & 0x3F));
      o += char(0x80 | (c & 0x3F));
    }
  }

  uint32_t hex4() {
    if (p_ + 4 > t_.size()) fail("short \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char h = t_[p_++];
      v <<= 4;
      if (h >= '0' && h <= '9') v |= uint32_t(h - '0');
      else if (h >= 'a' && h <= 'f') v |= uint32_t(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') v |= uint32_t(h - 'A' + 10);
      else fail("bad \\u escape");
    }
    return v;
  }

  std::string string() {
    ++p_;  // opening quote
    std::string o;
    for (;;) {
      if (p_ >= t_.size()) fail("unterminated string");
      char c = t_[p_++];
      if (c == '"') return o;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
      if (c != '\\') {
        o += c;
        continue;
      }
      if (p_ >= t_.size()) fail("unterminated escape");
      char e = t_[p_++];
      switch (e) {
        case '"': o += '"'; break;
        case '\\': o += '\\'; break;
        case '/': o += '/'; break;
        case 'b': o += '\b'; break;
        case 'f': o += '\f'; break;
        case 'n': o += '\n'; break;
        case 'r': o += '\r'; break;
        case 't': o += '\t'; break;
        case 'u': {
          uint32_t c1 = hex4();
          if (c1 >= 0xD800 && c1 < 0xDC00) {
            if (!lit("\\u")) fail("lone surrogate");
            uint32_t c2 = hex4();
            if (c2 < 0xDC00 || c2 >= 0xE000) fail("bad surrogate pair");
            c1 = 0x10000 + ((c1 - 0xD800) << 10) + (c2 - 0xDC00);
          } else if (c1 >= 0xDC00 && c1 < 0xE000) {
            fail("lone surrogate");
          }
          put_utf8(o, c1);
          break;
        }
        default: fail("unknown escape");
      }
    }
  }

  std::string_view t_;
  size_t p_ = 0;
};

}  // namespace

Node parse(std::string_view text) { return Parser(text).document(); }

void append_string(std::string& out, std::string_view s) { common::append_json_string(out, s); }

}  // namespace xbase::tool::json
