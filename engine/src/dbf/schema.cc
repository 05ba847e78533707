#include "xbase/schema.h"

#include <fmt/format.h>

#include <cctype>

#include "xbase/error.h"

namespace xbase {

const char* format_name(Format f) {
  switch (f) {
    case Format::dbase3: return "db3";
    case Format::dbase4: return "db4";
    case Format::fox2: return "fox2";
    case Format::vfp: return "vfp";
  }
  return "?";
}

std::optional<Format> parse_format(std::string_view n) {
  if (n == "vfp") return Format::vfp;
  if (n == "fox2" || n == "foxpro") return Format::fox2;
  if (n == "db3" || n == "dbase3") return Format::dbase3;
  if (n == "db4" || n == "dbase4") return Format::dbase4;
  return std::nullopt;
}

bool Field::is_memo() const {
  switch (type) {
    case FieldType::memo:
    case FieldType::general:
    case FieldType::picture:
    case FieldType::blob: return true;
    default: return false;
  }
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string upper(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = char(std::toupper(static_cast<unsigned char>(c)));
  return r;
}

[[noreturn]] void bad_spec(std::string_view item, const std::string& why) {
  throw Error(Errc::usage, {}, fmt::format("field \"{}\": {}", item, why));
}

// Default length for types whose length is fixed by the format.
int fixed_length(FieldType t) {
  switch (t) {
    case FieldType::date: return 8;
    case FieldType::logical: return 1;
    case FieldType::integer: return 4;
    case FieldType::currency: return 8;
    case FieldType::datetime: return 8;
    case FieldType::double_: return 8;
    case FieldType::blob: return 4;
    default: return 0;
  }
}

}  // namespace

std::vector<Field> parse_field_list(std::string_view spec) {
  std::vector<Field> out;
  size_t pos = 0;
  while (pos <= spec.size()) {
    // Split on commas outside parentheses: N(12,2) contains one.
    size_t depth = 0, end = pos;
    for (; end < spec.size(); ++end) {
      if (spec[end] == '(') ++depth;
      if (spec[end] == ')' && depth) --depth;
      if (spec[end] == ',' && depth == 0) break;
    }
    std::string_view item = trim(spec.substr(pos, end - pos));
    pos = end + 1;
    if (item.empty()) {
      if (end >= spec.size()) break;
      bad_spec(item, "empty field definition");
    }
    // NAME TYPE[(len[,dec])] [NULL] [NOT NULL] [BINARY|NOCPTRANS] [AUTOINC [next [step]]]
    std::vector<std::string> words;
    {
      std::string cur;
      int d = 0;
      for (char c : item) {
        if (c == '(') ++d;
        if (c == ')') --d;
        if (std::isspace(static_cast<unsigned char>(c)) && d == 0) {
          if (!cur.empty()) words.push_back(cur), cur.clear();
        } else {
          cur += c;
        }
      }
      if (!cur.empty()) words.push_back(cur);
    }
    if (words.size() < 2) bad_spec(item, "expected NAME TYPE");
    Field f;
    f.name = upper(words[0]);
    if (f.name.size() > 10) bad_spec(item, "name longer than 10 characters");
    for (char c : f.name)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
        bad_spec(item, "name may hold only letters, digits and _");
    std::string t = upper(words[1]);
    std::string_view tv = t;
    std::string_view args;
    if (auto p = tv.find('('); p != std::string_view::npos) {
      if (tv.back() != ')') bad_spec(item, "unbalanced parentheses");
      args = tv.substr(p + 1, tv.size() - p - 2);
      tv = tv.substr(0, p);
    }
    if (tv.size() != 1) bad_spec(item, fmt::format("unknown type \"{}\"", tv));
    char tc = tv[0];
    static const std::string_view known = "CNFDLMGPIYTBVQW";
    if (known.find(tc) == std::string_view::npos) bad_spec(item, fmt::format("unknown type \"{}\"", tc));
    f.type = FieldType(tc);
    int len = fixed_length(f.type), dec = 0;
    if (!args.empty()) {
      auto comma = args.find(',');
      try {
        len = std::stoi(std::string(args.substr(0, comma)));
        if (comma != std::string_view::npos) dec = std::stoi(std::string(args.substr(comma + 1)));
      } catch (const std::exception&) {
        bad_spec(item, "length and decimals must be numbers");
      }
    }
    if (f.type == FieldType::currency) dec = 4;
    if (len <= 0 && !f.is_memo()) bad_spec(item, "a length is required, e.g. C(20)");
    if (len > 254 || dec < 0 || dec > 255) bad_spec(item, "length must be 1..254");
    f.length = uint16_t(len);
    f.decimals = uint8_t(dec);
    for (size_t i = 2; i < words.size(); ++i) {
      std::string w = upper(words[i]);
      if (w == "NULL") {
        f.nullable = true;
      } else if (w == "NOT" && i + 1 < words.size() && upper(words[i + 1]) == "NULL") {
        ++i;
      } else if (w == "BINARY" || w == "NOCPTRANS") {
        f.binary = true;
      } else if (w == "AUTOINC") {
        f.autoinc = true;
        f.autoinc_next = 1;
        f.autoinc_step = 1;
        if (i + 1 < words.size() && std::isdigit(static_cast<unsigned char>(words[i + 1][0])))
          f.autoinc_next = std::stoi(words[++i]);
        if (i + 1 < words.size() && std::isdigit(static_cast<unsigned char>(words[i + 1][0]))) {
          int step = std::stoi(words[++i]);
          if (step < 1 || step > 255) bad_spec(item, "AUTOINC step must be 1..255");
          f.autoinc_step = uint8_t(step);
        }
      } else {
        bad_spec(item, fmt::format("unknown option \"{}\"", words[i]));
      }
    }
    if (f.autoinc && f.type != FieldType::integer) bad_spec(item, "AUTOINC needs type I");
    out.push_back(std::move(f));
    if (end >= spec.size()) break;
  }
  return out;
}

std::string describe_field(const Field& f) {
  std::string s = f.name + " " + char(f.type);
  switch (f.type) {
    case FieldType::character:
    case FieldType::varchar:
    case FieldType::varbinary: s += fmt::format("({})", f.length); break;
    case FieldType::numeric:
    case FieldType::floating:
      s += f.decimals ? fmt::format("({},{})", f.length, f.decimals) : fmt::format("({})", f.length);
      break;
    case FieldType::double_:
      if (f.decimals) s += fmt::format("(8,{})", f.decimals);
      break;
    default: break;
  }
  if (f.nullable) s += " NULL";
  bool text_type = f.type == FieldType::character || f.type == FieldType::varchar ||
                   f.type == FieldType::memo;
  if (f.binary && text_type) s += " BINARY";
  if (f.autoinc) s += fmt::format(" AUTOINC {} {}", f.autoinc_next, f.autoinc_step);
  return s;
}

}  // namespace xbase
