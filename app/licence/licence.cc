#include "licence/licence.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <vector>

namespace invoicing::licence {

namespace {

constexpr std::string_view kFirstLine = "invoicing licence 1";
constexpr std::array<std::string_view, 8> kFields = {
    "licensee", "vat", "edition", "seats", "updates-until", "issued", "key", "signature"};

// UTF-8 without control characters (lead bytes and continuation bytes checked; enough to keep
// a licensee's name printable).
bool printable_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return false;
      ++i;
      continue;
    }
    size_t n = 0;
    if (c >= 0xc2 && c <= 0xdf)
      n = 1;
    else if ((c & 0xf0) == 0xe0)
      n = 2;
    else if (c >= 0xf0 && c <= 0xf4)
      n = 3;
    else
      return false;
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    i += n + 1;
  }
  return true;
}

bool valid_vat(std::string_view v) {
  if (v.size() < 4 || v.size() > 20) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    const auto c = static_cast<unsigned char>(v[i]);
    if (i < 2 ? !std::isupper(c) : !(std::isupper(c) || std::isdigit(c))) return false;
  }
  return true;
}

bool valid_key_id(std::string_view k) {
  if (k.size() != 16) return false;
  for (char c : k)
    if (!std::isdigit(static_cast<unsigned char>(c)) && !(c >= 'a' && c <= 'f')) return false;
  return true;
}

// The one spelling of a whole number 1..999 ("3", never "03" or "+3").
std::optional<int> small_number(std::string_view s) {
  if (s.empty() || s.size() > 3 || s[0] == '0') return std::nullopt;
  int n = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

// The fields' own checks, shared by writing and reading; "" when fine.
std::string field_problem(const Licence& l) {
  if (l.licensee.empty() || l.licensee.size() > 100 || !printable_utf8(l.licensee))
    return "the licensee must be 1 to 100 characters of text";
  if (!valid_vat(l.vat))
    return fmt::format("\"{}\" is not a normalized VAT number (BE0431115213)", l.vat);
  if (l.seats < 1 || l.seats > domain::seat_count(l.edition))
    return fmt::format("the {} edition has 1 to {} seats, not {}", domain::edition_name(l.edition),
                       domain::seat_count(l.edition), l.seats);
  if (!domain::valid_date(l.updates_until))
    return "the end of the update subscription is not a date";
  if (!domain::valid_date(l.issued)) return "the issue date is not a date";
  if (!valid_key_id(l.key_id)) return "the key is not named by 16 hex digits";
  return "";
}

}  // namespace

std::string licence_body(const Licence& l) {
  if (auto p = field_problem(l); !p.empty()) throw LicenceError(p);
  return fmt::format(
      "{}\nlicensee: {}\nvat: {}\nedition: {}\nseats: {}\nupdates-until: {}\nissued: {}\nkey: {}\n",
      kFirstLine, l.licensee, l.vat, domain::edition_name(l.edition), l.seats,
      domain::to_iso(l.updates_until), domain::to_iso(l.issued), l.key_id);
}

std::string licence_text(const SignedLicence& s) {
  return s.body + "signature: " + to_base64(s.signature) + "\n";
}

std::string issue_licence(Licence l, const SecretKey& key) {
  l.key_id = key.public_key().id();
  SignedLicence s;
  s.body = licence_body(l);
  s.signature = sign(s.body, key);
  s.licence = std::move(l);
  return licence_text(s);
}

SignedLicence parse_licence(std::string_view text) {
  if (text.size() > kMaxLicenceBytes)
    throw LicenceError(fmt::format("it has {} bytes; a licence file has at most {}", text.size(),
                                   kMaxLicenceBytes));
  // Lines; a CR before the LF is dropped (the file may have passed through Notepad).
  std::vector<std::string_view> lines;
  for (size_t pos = 0; pos < text.size();) {
    size_t e = text.find('\n', pos);
    if (e == std::string_view::npos)
      throw LicenceError(
          fmt::format("line {} does not end (the file is cut short)", lines.size() + 1));
    std::string_view l = text.substr(pos, e - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    lines.push_back(l);
    pos = e + 1;
  }
  if (lines.empty() || lines[0] != kFirstLine)
    throw LicenceError(
        fmt::format("it does not start with \"{}\": not an invoicing licence", kFirstLine));
  if (lines.size() != 1 + kFields.size())
    throw LicenceError(
        fmt::format("it has {} lines; a licence has {}", lines.size(), 1 + kFields.size()));
  std::array<std::string_view, kFields.size()> v;
  for (size_t i = 0; i < kFields.size(); ++i) {
    const std::string_view l = lines[i + 1];
    const std::string want = std::string(kFields[i]) + ": ";
    if (l.substr(0, want.size()) != want)
      throw LicenceError(fmt::format("line {} must start \"{}\"", i + 2, want));
    v[i] = l.substr(want.size());
  }
  SignedLicence s;
  Licence& lic = s.licence;
  lic.licensee = std::string(v[0]);
  lic.vat = std::string(v[1]);
  auto edition = domain::edition_from_name(v[2]);
  if (!edition || v[2] != domain::edition_name(*edition))
    throw LicenceError(
        fmt::format("line 4: \"{}\" is not an edition (Free, Basic, Pro, Full)", v[2]));
  lic.edition = *edition;
  auto seats = small_number(v[3]);
  if (!seats) throw LicenceError(fmt::format("line 5: \"{}\" is not a number of seats", v[3]));
  lic.seats = *seats;
  auto until = domain::parse_iso_date(v[4]);
  auto issued = domain::parse_iso_date(v[5]);
  if (!until || domain::to_iso(*until) != v[4])
    throw LicenceError(fmt::format("line 6: \"{}\" is not a date", v[4]));
  if (!issued || domain::to_iso(*issued) != v[5])
    throw LicenceError(fmt::format("line 7: \"{}\" is not a date", v[5]));
  lic.updates_until = *until;
  lic.issued = *issued;
  lic.key_id = std::string(v[6]);
  if (auto p = field_problem(lic); !p.empty()) throw LicenceError(p);
  auto sig = from_base64(v[7]);
  if (!sig || sig->size() != 64)
    throw LicenceError("line 9: the signature is not 64 bytes of base64");
  s.signature = *sig;
  // What was signed: the lines as written, which must also be the fields' one spelling
  // (otherwise two texts would carry one signature).
  s.body = licence_body(lic);
  std::string as_read;
  for (size_t i = 0; i + 1 < lines.size(); ++i) as_read.append(lines[i]).push_back('\n');
  if (as_read != s.body)
    throw LicenceError("its lines are not written the way licences are issued");
  return s;
}

}  // namespace invoicing::licence
