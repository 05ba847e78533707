#include "import/field_check.h"

#include <fmt/format.h>

#include "domain/enterprise_number.h"
#include "domain/iban.h"
#include "domain/money.h"
#include "domain/vat.h"
#include "domain/vat_number.h"
#include "import/countries.h"
#include "import/text_fold.h"
#include "import/values.h"

namespace invoicing::import {

namespace {

namespace domain = invoicing::domain;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string upper_ascii(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

// Control characters are refused: C0 (line breaks only in memos), DEL and C1, which in a
// text usually betray a wrong encoding.
std::string control_reason(std::string_view s, bool memo) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto b = static_cast<unsigned char>(s[i]);
    bool line_break = b == '\n' || b == '\r';
    if ((b < 0x20 && !(memo && line_break)) || b == 0x7F) {
      if (line_break) return "a line break (only the note may have several lines)";
      return fmt::format("a control character (0x{:02X})", b);
    }
    if (b == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      return fmt::format("a control character (U+00{:02X}; wrong encoding?)",
                         static_cast<unsigned char>(s[i + 1]));
    }
  }
  return "";
}

// A number cell as it is; text read with the decimal mark.
std::optional<std::string> number_of(const Cell& cell, std::string_view text, char mark) {
  if (cell.kind == CellKind::number) return cell.value;
  return parse_decimal_text(text, mark);
}

// Plain decimal text without trailing fraction zeros: "12.50" -> "12.5", "3.000" -> "3".
std::string strip_zeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

int decimals_of(const std::string& s) {
  size_t dot = s.find('.');
  return dot == std::string::npos ? 0 : static_cast<int>(s.size() - dot - 1);
}

bool below_1e10(const std::string& s) {
  size_t start = s[0] == '-' ? 1 : 0;
  size_t dot = s.find('.');
  size_t int_digits = (dot == std::string::npos ? s.size() : dot) - start;
  return int_digits <= 10;  // no leading zeros: ten digits at most is below 10^10
}

bool valid_email(std::string_view e) {
  size_t at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 ||
      e.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view local = e.substr(0, at), host = e.substr(at + 1);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return false;
  for (char c : local) {
    auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || std::string_view("()<>[]:;,\\\"").find(c) != std::string_view::npos)
      return false;
  }
  size_t labels = 0;
  while (true) {
    size_t dot = host.find('.');
    std::string_view label = host.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label) {
      auto b = static_cast<unsigned char>(c);
      if (!(b >= 0x80 || is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            c == '-'))
        return false;
    }
    ++labels;
    if (dot == std::string_view::npos) {
      if (label.size() < 2 || is_digit(label[0])) return false;  // the top-level domain
      break;
    }
    host.remove_prefix(dot + 1);
  }
  return labels >= 2;
}

FieldResult bad(std::string reason) { return {"", std::move(reason)}; }

}  // namespace

FieldResult check_field(const FieldDef& f, const Cell& cell, const FieldContext& ctx) {
  if (cell.kind == CellKind::empty) return {};
  std::string raw = cell.value;
  if (f.kind == FieldKind::memo) {
    // One kind of line break: "\r\n" and "\r" become "\n".
    std::string m;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\r') {
        m += '\n';
        if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      } else {
        m += raw[i];
      }
    }
    raw = std::move(m);
  }
  std::string_view text = trim(raw);
  if (f.kind == FieldKind::memo) {
    while (!text.empty() && (text.back() == '\n')) text.remove_suffix(1);
  }
  if (text.empty()) return {};
  std::string control = control_reason(text, f.kind == FieldKind::memo);
  if (!control.empty()) return bad("holds " + control);
  FieldResult r;
  r.value = std::string(text);

  switch (f.kind) {
    case FieldKind::text:
    case FieldKind::memo:
    case FieldKind::code:
      break;
    case FieldKind::country: {
      auto code = country_code(text);
      if (!code) return bad("not a country (an ISO code such as BE, or a name such as België)");
      r.value = *code;
      break;
    }
    case FieldKind::vat_number: {
      std::string v = upper_ascii(text);
      // A number without its country prefix gets the row's country (or is recognised by
      // shape: ten digits starting 0/1 are Belgian, "123456789B01" Dutch).
      if (!v.empty() && is_digit(v[0])) {
        std::string digits;
        for (char c : v) {
          if (c != '.' && c != '-') digits += c;
        }
        std::string prefix = ctx.row_country;
        if (prefix.empty()) {
          if (digits.size() == 10 && (digits[0] == '0' || digits[0] == '1'))
            prefix = "BE";
          else if (digits.size() == 12 && digits[9] == 'B')
            prefix = "NL";
        }
        if (prefix == "GR") prefix = "EL";
        v = prefix + v;
      }
      auto check = domain::check_vat_number(v);
      if (!check.valid) return bad(check.reason.empty() ? "not a VAT number" : check.reason);
      r.value = check.normalized;
      break;
    }
    case FieldKind::enterprise_number: {
      std::string country =
          ctx.row_country == "BE" || ctx.row_country == "NL" ? ctx.row_country : "";
      auto check = domain::check_enterprise_number(text, country);
      if (!check.valid) return bad(check.reason);
      r.value = check.normalized;
      break;
    }
    case FieldKind::email: {
      // Several addresses are separated by ';' or ','; each must be one.
      std::string joined;
      std::string_view rest = text;
      while (!rest.empty()) {
        size_t sep = rest.find_first_of(";,");
        std::string_view one = trim(rest.substr(0, sep));
        rest = sep == std::string_view::npos ? std::string_view() : rest.substr(sep + 1);
        if (one.empty()) continue;
        if (!valid_email(one)) return bad(fmt::format("'{}' is not an e-mail address", one));
        joined += (joined.empty() ? "" : "; ") + std::string(one);
      }
      r.value = joined;
      break;
    }
    case FieldKind::phone: {
      int digits = 0;
      for (char c : text) {
        if (is_digit(c))
          ++digits;
        else if (std::string_view(" +/.-()").find(c) == std::string_view::npos) {
          return bad("a phone number has digits, spaces and + / . - ( ) only");
        }
      }
      if (digits < 6) return bad("too few digits for a phone number");
      break;
    }
    case FieldKind::iban: {
      auto check = domain::check_iban(text);
      if (!check.valid) return bad(check.reason);
      r.value = check.normalized;
      break;
    }
    case FieldKind::bic: {
      std::string b = upper_ascii(text);
      bool shape = b.size() == 8 || b.size() == 11;
      for (size_t i = 0; shape && i < b.size(); ++i) {
        char c = b[i];
        bool letter = c >= 'A' && c <= 'Z';
        shape = i < 6 ? letter : (letter || is_digit(c));
      }
      if (!shape) return bad("a BIC has 8 or 11 letters and digits (bank, country, place, branch)");
      if (!is_country_code(b.substr(4, 2)))
        return bad(fmt::format("a BIC's letters 5-6 are a country; {} is none", b.substr(4, 2)));
      r.value = b;
      break;
    }
    case FieldKind::days: {
      std::string t = lower_ascii(text);
      for (const char* unit : {"dagen", "dag", "jours", "jour", "days", "day", "j", "d"}) {
        std::string_view u(unit);
        if (t.size() > u.size() && t.compare(t.size() - u.size(), u.size(), u) == 0) {
          t = std::string(trim(t.substr(0, t.size() - u.size())));
          break;
        }
      }
      auto n = cell.kind == CellKind::number ? std::optional<std::string>(cell.value)
                                             : parse_decimal_text(t, ctx.decimal_mark);
      if (!n) return bad("not a number of days");
      std::string v = strip_zeros(*n);
      if (v.find('.') != std::string::npos || v[0] == '-' || v.size() > 6 ||
          std::stoi(v) > f.max_value) {
        return bad(fmt::format("a whole number of days from 0 to {} is expected", f.max_value));
      }
      r.value = v;
      break;
    }
    case FieldKind::language: {
      std::string k = fold_key(text);
      static const std::pair<const char*, const char*> kLanguages[] = {
          {"nl", "nl|n|nederlands|dutch|neerlandais|vlaams|nld|dut|ned"},
          {"fr", "fr|f|frans|francais|french|fra|fre"},
          {"en", "en|e|engels|anglais|english|eng"},
          {"de", "de|d|duits|allemand|german|deutsch|ger|deu"},
      };
      r.value.clear();
      for (const auto& [code, names] : kLanguages) {
        std::string_view list(names);
        while (r.value.empty() && !list.empty()) {
          size_t bar = list.find('|');
          if (list.substr(0, bar) == k) r.value = code;
          list = bar == std::string_view::npos ? std::string_view() : list.substr(bar + 1);
        }
      }
      if (r.value.empty()) return bad("not a language (nl, fr, en or de)");
      break;
    }
    case FieldKind::decimal: {
      auto n = number_of(cell, text, ctx.decimal_mark);
      if (!n) return bad("not a number");
      std::string v = strip_zeros(*n);
      if (v[0] == '-' && !f.negative) return bad("may not be negative");
      if (decimals_of(v) > f.decimals) return bad(fmt::format("more than {} decimals", f.decimals));
      if (!below_1e10(v)) return bad("10,000,000,000 or more");
      r.value = v;
      break;
    }
    case FieldKind::vat_rate: {
      std::string_view t = text;
      if (!t.empty() && t.back() == '%') t = trim(t.substr(0, t.size() - 1));
      auto n = number_of(cell, t, ctx.decimal_mark);
      auto d = n ? domain::Decimal::parse(strip_zeros(*n)) : std::nullopt;
      if (!d) return bad("not a VAT rate");
      auto rates = domain::vat_rates(ctx.supplier_country);
      std::string list;
      for (const auto& rate : rates) {
        list += (list.empty() ? "" : ", ") + rate.to_string();
        // 0.21 is 21 % as a spreadsheet percentage cell holds it.
        bool fraction = d->abs() < domain::Decimal::from_integer(1) && !d->is_zero() &&
                        *d * domain::Decimal::from_integer(100) == rate;
        if (*d == rate || fraction) {
          r.value = rate.to_string();
          return r;
        }
      }
      return bad(fmt::format("not a VAT rate of {} ({})", ctx.supplier_country, list));
    }
    case FieldKind::vat_category: {
      std::string c = upper_ascii(text);
      if (!domain::vat_category_from_code(c))
        return bad("not a VAT category (S, Z, E, AE, K or G)");
      r.value = c;
      break;
    }
    case FieldKind::article_kind: {
      std::string k = fold_key(text);
      if (k == "g" || k == "goods" || k == "goederen" || k == "goed" || k == "bien" ||
          k == "biens" || k == "marchandise" || k == "marchandises" || k == "product" ||
          k == "produit") {
        r.value = "G";
      } else if (k == "s" || k == "service" || k == "services" || k == "dienst" ||
                 k == "diensten" || k == "dienstverlening" || k == "prestation") {
        r.value = "S";
      } else {
        return bad("not goods (G) or a service (S)");
      }
      break;
    }
    case FieldKind::boolean: {
      std::optional<bool> b;
      if (cell.kind == CellKind::boolean || cell.kind == CellKind::number) {
        if (cell.value == "1") b = true;
        if (cell.value == "0") b = false;
      } else {
        b = parse_boolean_text(text);
      }
      if (!b) return bad("not yes or no (ja/nee, oui/non, yes/no, 1/0, x)");
      r.value = *b ? "1" : "0";
      break;
    }
  }
  if (f.max_length > 0 && utf8_length(r.value) > static_cast<size_t>(f.max_length)) {
    return bad(fmt::format("longer than {} characters ({})", f.max_length, utf8_length(r.value)));
  }
  return r;
}

}  // namespace invoicing::import
