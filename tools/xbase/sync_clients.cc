// Conflict-copy names and folder markers of cloud-sync clients.
//
// Where each name form comes from (checked against the client's own source or help pages
// where we could; the rest is marked "unverified" and kept because it also needs a date):
//
// - Dropbox: `name (conflicted copy YYYY-MM-DD).ext`, `name (Host's conflicted copy
//   YYYY-MM-DD).ext` (Dropbox help, "What's a conflicted copy?"); the counter form
//   `... YYYY-MM-DD (1)).ext` is from our issue tracker, not checked against Dropbox.
//   Localized forms seen in real file names and scripts that clean them up:
//   French `(Copie en conflit de Host YYYY-MM-DD)`, Spanish `(Copia en conflicto de Host
//   YYYY-MM-DD)` and older `(Copia conflictiva de Host ...)`, German `(Hosts in Konflikt
//   stehende Kopie YYYY-MM-DD)` / `(In Konflikt stehende Kopie von Host ...)` and
//   `(Konfliktkopie von Host ...)`, Japanese `(Host 上の問題のあるコピー YYYY-MM-DD)`.
//   Unverified: Dutch `conflicterende kopie`, Italian `copia in conflitto`, Portuguese
//   `cópia em conflito`. Also `(Case Conflict)` / `(Unicode Encoding Conflict)`: two names
//   that one file system cannot tell apart.
// - Nextcloud/ownCloud desktop client (Utility::makeConflictFileName): `name (conflicted copy
//   YYYY-MM-DD HHMMSS).ext`, with the account's display name when conflict files are
//   uploaded: `name (conflicted copy USER YYYY-MM-DD HHMMSS).ext` (parentheses in USER are
//   replaced by `_`); clients before 2.5: `name_conflict-YYYYMMDD-HHMMSS.ext` and, with
//   CSYNC_CONFLICT_FILE_USERNAME set, `name_conflict_USER-YYYYMMDD-HHMMSS.ext`.
// - Syncthing (lib/model/folder_sendrecv.go): `name.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.ext`,
//   DEVICE the 7-character short device ID (older versions wrote no device).
// - Seafile (gen_conflict_path): `name (SFConflict MODIFIER YYYY-MM-DD-HH-MM-SS).ext`, the
//   modifier usually an e-mail address and optional; the server's Go merge writes the time as
//   `2006-Jan-2-15-04-05` and splits at the first dot (`a (SFConflict x t).b.dbf`).
// - Resilio Sync / BitTorrent Sync (Resilio help, "Conflict files in Sync"): `name.Conflict.ext`,
//   `name.Conflict`, `name.Conflict1`, `name.Conflict 3`, `name.Conflict.Conflict.ext`. These
//   come from names that differ only in case or Unicode form, so the original may differ in
//   case.
// - OneDrive: `name-HOSTNAME.ext`, `name-HOSTNAME-2.ext` (the Windows computer name).
// - Google Drive: `name (1).ext`. iCloud Drive: `name 2.ext`.
//
// Decisions against false positives (each has a test in tests/tools/conflicts_test.cc):
// - A tag counts only at the end of the name, right before the extension:
//   `invoice (1) draft.dbf` is an ordinary name.
// - The forms that ordinary names also have count only when the original exists beside the
//   copy: `name (1)` (Google Drive), `name 2` (iCloud), `name-HOST` (OneDrive). `Q3 2.dbf`
//   without `Q3.dbf` and `report-2024.dbf` without `report.dbf` are not copies.
// - Google Drive and iCloud numbers are small (1..99): `invoices 2024.dbf` beside
//   `invoices.dbf` is a yearly table, not a copy.
// - OneDrive's suffix is a Windows computer name (%COMPUTERNAME%, a NetBIOS name): at most 15
//   characters, upper case ASCII letters, digits and hyphens, at least 3 long, with a letter.
//   So `price-list.dbf` beside `price.dbf` (lower case), `report-2024.dbf` (no letter) and
//   `sales-Q3.dbf` (too short) are not copies; period codes (`FY24`, `KW12`, `V2`) are refused
//   too. `price-LIST.dbf` beside `price.dbf` would be flagged: that is the price of not
//   missing `customer-DESKTOP-7.dbf`.
// - Dates must be real dates (month 1..12, day 1..31) and times real times.
#include "sync_clients.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

namespace xbase::tool {

namespace {

namespace fs = std::filesystem;

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  return std::all_of(s.begin(), s.end(), is_digit);
}

int num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool ends_with(std::string_view s, std::string_view t) {
  return s.size() >= t.size() && s.substr(s.size() - t.size()) == t;
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && s[b] == ' ') ++b;
  while (e > b && s[e - 1] == ' ') --e;
  return std::string(s.substr(b, e - b));
}

// "name.ext" -> {"name", ".ext"}; a leading dot (".profile") is part of the name.
std::pair<std::string, std::string> split_ext(const std::string& name) {
  size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0) return {name, ""};
  return {name.substr(0, dot), name.substr(dot)};
}

bool valid_ymd(int y, int m, int d) { return y >= 1980 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= 31; }
bool valid_hms(int h, int m, int s) { return h <= 23 && m <= 59 && s <= 60; }

std::string iso(int y, int mo, int d) { return fmt::format("{:04}-{:02}-{:02}", y, mo, d); }
std::string iso_time(int h, int mi, int s) { return fmt::format("T{:02}:{:02}:{:02}", h, mi, s); }
std::string iso(int y, int mo, int d, int h, int mi, int s) { return iso(y, mo, d) + iso_time(h, mi, s); }

// "YYYY-MM-DD" -> ISO date, or "".
std::string dash_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return "";
  if (!all_digits(s.substr(0, 4), 4) || !all_digits(s.substr(5, 2), 2) || !all_digits(s.substr(8, 2), 2))
    return "";
  int y = num(s.substr(0, 4)), m = num(s.substr(5, 2)), d = num(s.substr(8, 2));
  return valid_ymd(y, m, d) ? iso(y, m, d) : "";
}

// "YYYYMMDD-HHMMSS" (Syncthing, old ownCloud) -> ISO date and time, or "".
std::string compact_datetime(std::string_view s) {
  if (s.size() != 15 || s[8] != '-' || !all_digits(s.substr(0, 8), 8) || !all_digits(s.substr(9), 6))
    return "";
  int y = num(s.substr(0, 4)), mo = num(s.substr(4, 2)), d = num(s.substr(6, 2));
  int h = num(s.substr(9, 2)), mi = num(s.substr(11, 2)), se = num(s.substr(13, 2));
  return valid_ymd(y, mo, d) && valid_hms(h, mi, se) ? iso(y, mo, d, h, mi, se) : "";
}

// Seafile: "YYYY-MM-DD-HH-MM-SS" (client) or "YYYY-Mon-D-HH-MM-SS" (server) -> ISO, or "".
std::string seafile_time(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t p = 0;
  while (true) {
    size_t e = s.find('-', p);
    parts.push_back(s.substr(p, e == std::string_view::npos ? std::string_view::npos : e - p));
    if (e == std::string_view::npos) break;
    p = e + 1;
  }
  if (parts.size() != 6 || !all_digits(parts[0], 4)) return "";
  int mo = 0;
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (all_digits(parts[1], 2)) {
    mo = num(parts[1]);
  } else {
    for (int i = 0; i < 12; ++i)
      if (parts[1] == kMonths[i]) mo = i + 1;
  }
  for (size_t i = 2; i < 6; ++i)
    if (parts[i].empty() || parts[i].size() > 2 || !std::all_of(parts[i].begin(), parts[i].end(), is_digit))
      return "";
  int y = num(parts[0]), d = num(parts[2]), h = num(parts[3]), mi = num(parts[4]), se = num(parts[5]);
  return valid_ymd(y, mo, d) && valid_hms(h, mi, se) ? iso(y, mo, d, h, mi, se) : "";
}

// The sibling with this name: exactly, else differing only in ASCII case (Windows and macOS
// file systems do not tell them apart, and Resilio's copies exist because of exactly that).
std::optional<std::string> find_sibling(const Siblings& siblings, const std::string& name,
                                        bool any_case) {
  return siblings.find(name, any_case);
}

ConflictName make(const char* client, const std::string& original,
                  const Siblings& siblings, std::string detail, std::string date,
                  bool any_case = true) {
  auto s = find_sibling(siblings, original, any_case);
  return {client, s ? *s : original, std::move(detail), std::move(date)};
}

// The " (...)" tag at the end of a name's stem: before it, its inside, and what follows it
// (the extension; Seafile's server puts the tag before the first dot, so the rest may hold
// several dots). Nested parentheses inside the tag are allowed (Dropbox's " (1)").
struct Tag {
  std::string before, inner, after;
};

std::optional<Tag> paren_tag(const std::string& name) {
  size_t close = name.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::string after = name.substr(close + 1);
  if (!after.empty() && (after[0] != '.' || after.find('(') != std::string::npos ||
                         after.find(' ') != std::string::npos))
    return std::nullopt;
  int depth = 0;
  for (size_t i = close + 1; i-- > 0;) {
    if (name[i] == ')') ++depth;
    if (name[i] == '(' && --depth == 0) {
      if (i < 2 || name[i - 1] != ' ') return std::nullopt;
      return Tag{name.substr(0, i - 1), name.substr(i + 1, close - i - 1), after};
    }
  }
  return std::nullopt;
}

// Dropbox's words for "conflicted copy". Matched in ASCII lower case.
const char* const kDropboxPhrases[] = {
    "conflicted copy",             // en (Dropbox help)
    "in konflikt stehende kopie",  // de (seen in file names)
    "konfliktkopie",               // de (seen in file names)
    "copie en conflit",            // fr (seen in file names)
    "copia en conflicto",          // es (seen in file names)
    "copia conflictiva",           // es, older clients (seen in a clean-up script)
    "conflicterende kopie",        // nl (unverified)
    "copia in conflitto",          // it (unverified)
    "cópia em conflito",           // pt (unverified)
    "上の問題のあるコピー",         // ja (seen in a clean-up script)
};

std::optional<ConflictName> dropbox_like(const Tag& t, const Siblings& siblings) {
  const std::string original = t.before + t.after;
  std::string inner = t.inner;
  // Seafile: "SFConflict [modifier] time".
  if (inner.rfind("SFConflict ", 0) == 0) {
    std::string rest = inner.substr(11);
    size_t sp = rest.rfind(' ');
    std::string time = sp == std::string::npos ? rest : rest.substr(sp + 1);
    std::string who = sp == std::string::npos ? "" : trim(rest.substr(0, sp));
    std::string date = seafile_time(time);
    if (date.empty()) return std::nullopt;
    return make("Seafile", original, siblings, who, date);
  }
  // Dropbox's own counter inside the tag: "(Host's conflicted copy 2024-05-02 (1))".
  if (ends_with(inner, ")")) {
    size_t open = inner.rfind(" (");
    if (open != std::string::npos) {
      std::string n = inner.substr(open + 2, inner.size() - open - 3);
      if (!n.empty() && n.size() <= 3 && std::all_of(n.begin(), n.end(), is_digit))
        inner = inner.substr(0, open);
    }
  }
  const std::string low = lower_ascii(inner);
  if (low == "case conflict" || low == "unicode encoding conflict")
    return make("Dropbox", original, siblings, low, "");
  // Nextcloud/ownCloud: "conflicted copy [USER ]YYYY-MM-DD HHMMSS".
  if (low.rfind("conflicted copy ", 0) == 0 && inner.size() >= 16 + 17) {
    std::string_view tail = std::string_view(inner).substr(inner.size() - 17);
    std::string date = dash_date(tail.substr(0, 10));
    if (!date.empty() && tail[10] == ' ' && all_digits(tail.substr(11), 6)) {
      int h = num(tail.substr(11, 2)), mi = num(tail.substr(13, 2)), s = num(tail.substr(15, 2));
      if (valid_hms(h, mi, s)) {
        std::string user = trim(std::string_view(inner).substr(16, inner.size() - 17 - 16));
        return make("Nextcloud/ownCloud", original, siblings, user,
                    date + iso_time(h, mi, s));
      }
    }
  }
  // Dropbox: "<label with the phrase> YYYY-MM-DD".
  if (inner.size() < 11 || inner[inner.size() - 11] != ' ') return std::nullopt;
  std::string date = dash_date(std::string_view(inner).substr(inner.size() - 10));
  if (date.empty()) return std::nullopt;
  std::string label = inner.substr(0, inner.size() - 11);
  std::string low_label = lower_ascii(label);
  for (const char* phrase : kDropboxPhrases) {
    size_t at = low_label.find(phrase);
    if (at == std::string::npos) continue;
    std::string left = trim(std::string_view(label).substr(0, at));
    std::string right = trim(std::string_view(label).substr(at + std::strlen(phrase)));
    for (const char* poss : {"'s", "\u2019s"})
      if (ends_with(left, poss)) left = trim(left.substr(0, left.size() - std::strlen(poss)));
    for (const char* of : {"von ", "de ", "van ", "di ", "of "})
      if (lower_ascii(right).rfind(of, 0) == 0) right = trim(right.substr(std::strlen(of)));
    return make("Dropbox", original, siblings, left.empty() ? right : left, date);
  }
  return std::nullopt;
}

// Windows computer name as OneDrive appends it (see the decisions above).
bool computer_name(std::string_view h) {
  if (h.size() < 3 || h.size() > 15 || h.front() == '-' || h.back() == '-') return false;
  bool letter = false;
  for (char c : h) {
    if (c >= 'A' && c <= 'Z') letter = true;
    else if (!is_digit(c) && c != '-') return false;
  }
  if (!letter) return false;
  // Period and version codes that people put after a hyphen themselves.
  for (std::string_view p : {"FY", "KW", "CW", "WK", "V", "Q", "H"})
    if (h.substr(0, p.size()) == p && h.size() > p.size() &&
        std::all_of(h.begin() + p.size(), h.end(), is_digit))
      return false;
  return true;
}

std::optional<ConflictName> onedrive(const std::string& name, const Siblings& siblings) {
  auto [stem, ext] = split_ext(name);
  // The original is "STEM.ext" for a prefix STEM ending before a '-' of the name's stem; the
  // longest one that exists wins. Looking up each prefix keeps this linear in the folder.
  for (size_t dash = stem.size() >= 2 ? stem.size() - 2 : 0; dash >= 1 && dash < stem.size(); --dash) {
    if (stem[dash] != '-') continue;
    const std::string ostem = stem.substr(0, dash);
    if (!siblings.has(ostem + ext)) continue;
    std::string suffix = stem.substr(dash + 1);
    // "-HOST-2": OneDrive's counter for the second copy from the same computer.
    std::string host = suffix;
    size_t d2 = suffix.rfind('-');
    if (d2 != std::string::npos && d2 + 1 < suffix.size() &&
        std::all_of(suffix.begin() + d2 + 1, suffix.end(), is_digit) &&
        computer_name(suffix.substr(0, d2)))
      host = suffix.substr(0, d2);
    if (!computer_name(host)) continue;
    return ConflictName{"OneDrive", ostem + ext, host, ""};
  }
  return std::nullopt;
}

}  // namespace

namespace {

// "name.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.ext"
std::optional<ConflictName> syncthing(const std::string& name, const Siblings& siblings) {
  static const std::string kMark = ".sync-conflict-";
  size_t at = name.rfind(kMark);
  if (at == std::string::npos || at == 0) return std::nullopt;
  std::string rest = name.substr(at + kMark.size());
  std::string date = compact_datetime(std::string_view(rest).substr(0, std::min<size_t>(15, rest.size())));
  if (date.empty()) return std::nullopt;
  size_t p = 15;
  std::string device;
  if (p < rest.size() && rest[p] == '-') {
    size_t e = p + 1;
    while (e < rest.size() && ((rest[e] >= 'A' && rest[e] <= 'Z') || is_digit(rest[e]))) ++e;
    device = rest.substr(p + 1, e - p - 1);
    if (device.empty()) return std::nullopt;
    p = e;
  }
  if (p < rest.size() && rest[p] != '.') return std::nullopt;
  return make("Syncthing", name.substr(0, at) + rest.substr(p), siblings, device, date);
}

// Nextcloud/ownCloud before 2.5: "name_conflict-YYYYMMDD-HHMMSS.ext",
// "name_conflict_USER-YYYYMMDD-HHMMSS.ext".
std::optional<ConflictName> old_owncloud(const std::string& name, const Siblings& siblings) {
  size_t at = name.rfind("_conflict");
  if (at == std::string::npos || at == 0 || at + 9 >= name.size()) return std::nullopt;
  char sep = name[at + 9];
  if (sep != '-' && sep != '_') return std::nullopt;
  // The time is the first "-YYYYMMDD-HHMMSS" followed by the end or a dot.
  for (size_t p = at + 9; p + 16 <= name.size(); ++p) {
    if (name[p] != '-') continue;
    std::string date = compact_datetime(std::string_view(name).substr(p + 1, 15));
    if (date.empty() || (p + 16 < name.size() && name[p + 16] != '.')) continue;
    if (sep == '-' && p != at + 9) return std::nullopt;
    std::string user = sep == '_' ? name.substr(at + 10, p - at - 10) : "";
    return make("Nextcloud/ownCloud", name.substr(0, at) + name.substr(p + 16), siblings, user, date);
  }
  return std::nullopt;
}

// Resilio: "name.Conflict.ext", "name.Conflict", "name.Conflict1", "name.Conflict 3",
// "name.Conflict.Conflict.ext".
std::optional<ConflictName> resilio(const std::string& name, const Siblings& siblings) {
  static const std::string kMark = ".Conflict";
  size_t at = name.find(kMark);
  if (at == std::string::npos || at == 0) return std::nullopt;
  size_t p = at;
  while (name.compare(p, kMark.size(), kMark) == 0) {
    p += kMark.size();
    size_t q = p < name.size() && name[p] == ' ' ? p + 1 : p;
    size_t digits = q;
    while (q < name.size() && is_digit(name[q])) ++q;
    if (q > digits) p = q;  // "Conflict1", "Conflict 3"
  }
  if (p < name.size() && name[p] != '.') return std::nullopt;
  return make("Resilio Sync", name.substr(0, at) + name.substr(p), siblings, "", "");
}

// "name N.ext" (iCloud, N 2..99) and "name (N).ext" (Google Drive, N 1..99), when name.ext
// exists.
std::optional<ConflictName> numbered(const std::string& name, const Siblings& siblings) {
  auto [stem, ext] = split_ext(name);
  if (ends_with(stem, ")")) {
    size_t open = stem.rfind(" (");
    if (open == std::string::npos || open == 0) return std::nullopt;
    std::string n = stem.substr(open + 2, stem.size() - open - 3);
    if (n.empty() || n.size() > 2 || n[0] == '0' || !std::all_of(n.begin(), n.end(), is_digit))
      return std::nullopt;
    auto o = find_sibling(siblings, stem.substr(0, open) + ext, false);
    if (!o) return std::nullopt;
    return ConflictName{"Google Drive", *o, "", ""};
  }
  size_t sp = stem.rfind(' ');
  if (sp == std::string::npos || sp == 0) return std::nullopt;
  std::string n = stem.substr(sp + 1);
  if (n.empty() || n.size() > 2 || n[0] == '0' || n == "1" || !std::all_of(n.begin(), n.end(), is_digit))
    return std::nullopt;
  auto o = find_sibling(siblings, stem.substr(0, sp) + ext, false);
  if (!o) return std::nullopt;
  return ConflictName{"iCloud", *o, "", ""};
}

}  // namespace

Siblings::Siblings(const std::vector<std::string>& names) {
  exact_.reserve(names.size());
  lower_.reserve(names.size());
  for (const auto& n : names) {
    exact_.insert(n);
    lower_.emplace(lower_ascii(n), n);  // the first of names differing only in case
  }
}

bool Siblings::has(const std::string& name) const { return exact_.count(name) != 0; }

std::optional<std::string> Siblings::find(const std::string& name, bool any_case) const {
  if (has(name)) return name;
  if (!any_case) return std::nullopt;
  auto it = lower_.find(lower_ascii(name));
  if (it == lower_.end()) return std::nullopt;
  return it->second;
}

std::optional<ConflictName> conflict_copy(const std::string& name,
                                          const std::vector<std::string>& siblings) {
  return conflict_copy(name, Siblings(siblings));
}

std::optional<ConflictName> conflict_copy(const std::string& name, const Siblings& siblings) {
  if (name.empty() || name == "." || name == "..") return std::nullopt;
  if (auto c = syncthing(name, siblings)) return c;
  if (auto t = paren_tag(name)) {
    if (auto c = dropbox_like(*t, siblings)) return c;
    // "copy (Host's conflicted copy 2024-05-02) (1).dbf": a numbered copy of a conflict copy.
    if (!t->inner.empty() && t->inner.size() <= 2 &&
        std::all_of(t->inner.begin(), t->inner.end(), is_digit))
      if (auto inner = paren_tag(t->before + t->after))
        if (auto c = dropbox_like(*inner, siblings)) return c;
  }
  if (auto c = old_owncloud(name, siblings)) return c;
  if (auto c = resilio(name, siblings)) return c;
  if (auto c = numbered(name, siblings)) return c;
  if (auto c = onedrive(name, siblings)) return c;
  return std::nullopt;
}

// ------------------------------------------------------------------ markers

namespace {

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}
bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}
bool present(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

// Whether the file's first 64 KiB mention `word` (ASCII, any case), as 8-bit text or as
// UTF-16LE, which is how Windows usually writes desktop.ini.
bool mentions(const fs::path& p, const std::string& word) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::string bytes(65536, '\0');
  in.read(bytes.data(), std::streamsize(bytes.size()));
  bytes.resize(size_t(in.gcount()));
  std::string narrow;
  for (char c : bytes)
    if (c != '\0') narrow += c;  // drops the zero high bytes of UTF-16LE ASCII
  return lower_ascii(narrow).find(lower_ascii(word)) != std::string::npos;
}

void add(std::vector<SyncMarker>& out, const char* client, const fs::path& p, std::string why) {
  out.push_back({client, p, std::move(why)});
}

// Folder names the clients create by default: a hint only, since anyone can name a folder so.
void name_hint(std::vector<SyncMarker>& out, const fs::path& dir) {
  const std::string n = dir.filename().string();
  const std::string l = lower_ascii(n);
  const char* client = nullptr;
  if (l == "dropbox" || l.rfind("dropbox (", 0) == 0) client = "Dropbox";
  else if (l == "onedrive" || l.rfind("onedrive - ", 0) == 0) client = "OneDrive";
  else if (l == "google drive" || l == "googledrive" || l == "my drive") client = "Google Drive";
  else if (l == "nextcloud" || l == "owncloud") client = "Nextcloud/ownCloud";
  else if (l == "seafile") client = "Seafile";
  else if (l == "resilio sync") client = "Resilio Sync";
  if (client)
    add(out, client, dir,
        "the folder is named like " + std::string(client) +
            "'s synchronised folder (a hint from the name only; no marker file found there)");
}

void markers_in(std::vector<SyncMarker>& out, const fs::path& d) {
  const size_t before = out.size();
  // Dropbox. In the synchronised root `.dropbox` is a small file; a `.dropbox` *folder* is
  // the client's own settings in the home folder (Linux), which says nothing about the
  // folders below it.
  if (is_file(d / ".dropbox"))
    add(out, "Dropbox", d / ".dropbox", "Dropbox writes this file in the root of the folder it synchronises");
  if (is_dir(d / ".dropbox.cache"))
    add(out, "Dropbox", d / ".dropbox.cache", "Dropbox keeps its download cache here, in the root of the folder it synchronises");
  if (present(d / ".dropbox.attr"))
    add(out, "Dropbox", d / ".dropbox.attr", "Dropbox keeps file attributes here for the folder it synchronises");
  // Syncthing.
  if (present(d / ".stfolder"))
    add(out, "Syncthing", d / ".stfolder", "Syncthing's folder marker: this folder is a Syncthing folder");
  if (is_file(d / ".stignore"))
    add(out, "Syncthing", d / ".stignore", "Syncthing's ignore list for the folder it synchronises");
  if (is_dir(d / ".stversions"))
    add(out, "Syncthing", d / ".stversions", "Syncthing keeps older versions of synchronised files here");
  // Resilio Sync: the `.sync` folder of a shared folder holds its ID and ignore list. A bare
  // `.sync` folder is left out: other tools use that name too.
  for (const char* f : {"ID", "IgnoreList", "StreamsList"})
    if (present(d / ".sync" / f)) {
      add(out, "Resilio Sync", d / ".sync" / f,
          "Resilio Sync (BitTorrent Sync) keeps the shared folder's identity and settings in .sync");
      break;
    }
  // OneDrive and Google Drive mark their folders' icons in desktop.ini.
  if (is_file(d / "desktop.ini")) {
    if (mentions(d / "desktop.ini", "OneDrive"))
      add(out, "OneDrive", d / "desktop.ini", "desktop.ini gives the folder OneDrive's icon: OneDrive synchronises it");
    if (mentions(d / "desktop.ini", "GoogleDrive") || mentions(d / "desktop.ini", "Google\\Drive") ||
        mentions(d / "desktop.ini", "Google Drive"))
      add(out, "Google Drive", d / "desktop.ini", "desktop.ini names Google Drive: Google Drive synchronises the folder");
  }
  // Google Drive for desktop's transfer folders.
  for (const char* f : {".tmp.drivedownload", ".tmp.driveupload"})
    if (is_dir(d / f))
      add(out, "Google Drive", d / f, "Google Drive for desktop stages its transfers in this folder");
  // Nextcloud/ownCloud desktop client.
  for (const char* f : {".owncloudsync.log", ".nextcloudsync.log"})
    if (is_file(d / f))
      add(out, "Nextcloud/ownCloud", d / f, "the Nextcloud/ownCloud client logs its synchronisation of this folder here");
  std::error_code ec;
  for (fs::directory_iterator it(d, ec), end; !ec && it != end; it.increment(ec)) {
    std::string n = it->path().filename().string();
    if ((n.rfind("._sync_", 0) == 0 || n.rfind(".sync_", 0) == 0) && n.find(".db") != std::string::npos) {
      add(out, "Nextcloud/ownCloud", it->path(),
          "the Nextcloud/ownCloud client's journal database of the folder it synchronises");
      break;
    }
  }
  // Seafile.
  if (is_dir(d / ".seafile-data"))
    add(out, "Seafile", d / ".seafile-data", "the Seafile client's data folder: libraries below it are synchronised");
  if (is_file(d / "seafile-ignore.txt"))
    add(out, "Seafile", d / "seafile-ignore.txt", "Seafile's ignore list in the root of a synchronised library");
  // iCloud Drive lives under ~/Library/Mobile Documents (com~apple~CloudDocs).
  const std::string n = d.filename().string();
  if (n == "Mobile Documents" || n == "iCloud Drive" || n == "com~apple~CloudDocs")
    add(out, "iCloud", d, "this folder is part of iCloud Drive, which synchronises everything below it");
  if (out.size() == before) name_hint(out, d);
}

}  // namespace

std::vector<SyncMarker> sync_markers_here(const fs::path& dir) {
  std::vector<SyncMarker> out;
  markers_in(out, dir);
  return out;
}

std::vector<SyncMarker> sync_markers(const fs::path& dir) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  if (ec) p = dir;
  std::vector<SyncMarker> out;
  while (true) {
    markers_in(out, p);
    if (!p.has_relative_path() || p.parent_path() == p) break;
    p = p.parent_path();
  }
  return out;
}

}  // namespace xbase::tool
