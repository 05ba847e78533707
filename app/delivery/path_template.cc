#include "delivery/path_template.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace invoicing::delivery {

namespace {

// The length of the UTF-8 character starting at s[i] (1..4), 0 when the bytes are not one
// (a stray continuation byte, an overlong form, a surrogate, beyond U+10FFFF, cut short).
size_t utf8_char(std::string_view s, size_t i, uint32_t& cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t n = 0;
  if (c < 0x80) {
    cp = c;
    return 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    n = 2, cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

bool forbidden(uint32_t cp) {
  // Control characters (C0, DEL, C1) and what Windows refuses in a name.
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
  return cp < 0x80 && std::string_view("<>:\"/\\|?*").find(char(cp)) != std::string_view::npos;
}

std::string upper_ascii(std::string_view s) {
  std::string u(s);
  for (auto& ch : u) ch = char(std::toupper(static_cast<unsigned char>(ch)));
  return u;
}

// CON, PRN, AUX, NUL, COM1-9, LPT1-9: Windows opens the device whatever the extension.
bool windows_device(std::string_view name) {
  std::string stem = upper_ascii(name.substr(0, name.find('.')));
  while (!stem.empty() && stem.back() == ' ') stem.pop_back();
  if (stem == "CON" || stem == "PRN" || stem == "AUX" || stem == "NUL") return true;
  return stem.size() == 4 && (stem.rfind("COM", 0) == 0 || stem.rfind("LPT", 0) == 0) &&
         stem[3] >= '1' && stem[3] <= '9';
}

void trim_end(std::string& s) {
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
}

bool is_sep(char c) { return c == '/' || c == '\\'; }

std::vector<std::string> split(std::string_view s) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : s) {
    if (is_sep(c)) {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

// Checks the [variables] of one folder of a template; true when it has any.
bool check_variables(std::string_view text, std::string_view part) {
  bool any = false;
  for (size_t i = part.find('['); i != std::string_view::npos; i = part.find('[', i + 1)) {
    const size_t end = part.find(']', i);
    if (end == std::string_view::npos)
      throw std::invalid_argument(fmt::format("the template {} has a '[' without its ']'", text));
    const std::string_view name = part.substr(i + 1, end - i - 1);
    const auto& known = template_variables();
    if (std::find(known.begin(), known.end(), name) == known.end())
      throw std::invalid_argument(
          fmt::format("the template {} names [{}]: the variables are [enterprise_name], "
                      "[enterprise_identifier], "
                      "[accounting_file_id]",
                      text, name));
    any = true;
  }
  return any;
}

}  // namespace

const std::vector<std::string_view>& template_variables() {
  static const std::vector<std::string_view> v = {"enterprise_name", "enterprise_identifier",
                                                  "accounting_file_id"};
  return v;
}

std::string safe_component(std::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size();) {
    uint32_t cp = 0;
    const size_t n = utf8_char(value, i, cp);
    if (n == 0) {
      out += '_';
      ++i;
      continue;
    }
    if (forbidden(cp))
      out += '_';
    else
      out.append(value.substr(i, n));
    i += n;
  }
  // No leading blanks; no leading dot (hidden, or "." and ".."); no trailing dot or blank
  // (Windows drops them, so two names would meet).
  size_t lead = 0;
  while (lead < out.size() && out[lead] == ' ') ++lead;
  out.erase(0, lead);
  trim_end(out);
  for (auto& ch : out) {
    if (ch != '.') break;
    ch = '_';
  }
  if (out.find_first_not_of('_') == std::string::npos) return "";  // nothing of the value is left
  if (out.size() > kMaxComponentBytes) {
    size_t cut = kMaxComponentBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
      --cut;  // not inside a character
    out.resize(cut);
    trim_end(out);
    if (out.find_first_not_of('_') == std::string::npos) return "";
  }
  if (windows_device(out)) out = "_" + out;
  return out;
}

PathTemplate parse_template(std::string_view text) {
  PathTemplate t;
  t.text = std::string(text);
  if (text.empty()) throw std::invalid_argument("a path template is empty");
  if (text.find('\0') != std::string_view::npos)
    throw std::invalid_argument("a path template holds a NUL byte");
  if (text.size() >= 2 && std::isalpha(static_cast<unsigned char>(text[0])) && text[1] == ':')
    throw std::invalid_argument(fmt::format(
        "the template {} starts with a drive letter, which a service has not: give the server's "
        "name "
        "(\\\\SERVER\\Share\\...) and its mount point with `invoicing deliver mount add`",
        text));
  std::vector<std::string> parts;
  if (text.size() >= 2 && is_sep(text[0]) && is_sep(text[1])) {
    parts = split(text);
    if (parts.size() < 2 || (text.size() > 2 && is_sep(text[2])))
      throw std::invalid_argument(
          fmt::format("the template {} is not \\\\SERVER\\Share\\...", text));
    for (size_t k = 0; k < 2; ++k)
      if (parts[k].find('[') != std::string::npos)
        throw std::invalid_argument(
            fmt::format("the template {} has a variable in its server or share name", text));
    t.unc_share = "\\\\" + parts[0] + "\\" + parts[1];
    parts.erase(parts.begin(), parts.begin() + 2);
  } else if (is_sep(text[0])) {
    parts = split(text);
  } else {
    throw std::invalid_argument(fmt::format(
        "the template {} is relative: give a full path (/srv/...) or \\\\SERVER\\Share\\...",
        text));
  }
  bool in_vars = false;
  for (const auto& p : parts) {
    if (p == "." || p == "..")
      throw std::invalid_argument(
          fmt::format("the template {} holds \"{}\": a template stays inside its root", text, p));
    if (check_variables(text, p)) in_vars = true;
    (in_vars ? t.var_parts : t.root_parts).push_back(p);
  }
  if (t.unc_share.empty() && t.root_parts.empty())
    throw std::invalid_argument(fmt::format(
        "the template {} has no fixed folder before its first variable (its root would be /)",
        text));
  return t;
}

std::string unc_key(std::string_view unc) {
  auto parts = split(unc);
  if (unc.size() < 2 || !is_sep(unc[0]) || !is_sep(unc[1]) || parts.size() != 2)
    throw std::invalid_argument(fmt::format("\"{}\" is not a share name \\\\SERVER\\Share", unc));
  std::string key = "\\\\" + parts[0] + "\\" + parts[1];
  for (auto& ch : key) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return key;
}

bool is_within(const fs::path& p, const fs::path& root) {
  const fs::path a = p.lexically_normal(), r = root.lexically_normal();
  auto ai = a.begin();
  for (auto ri = r.begin(); ri != r.end(); ++ri, ++ai) {
    if (ri->empty() && std::next(ri) == r.end()) return true;  // root ends in '/'
    if (ai == a.end() || *ai != *ri) return false;
  }
  return true;
}

bool is_mount_point(const fs::path& dir) {
  std::error_code ec;
  const fs::path want = fs::canonical(dir, ec);
  if (ec) return false;
  std::ifstream in("/proc/self/mountinfo");
  for (std::string line; std::getline(in, line);) {
    // ID PARENT MAJ:MIN ROOT MOUNTPOINT ...; blanks and backslashes in it as \040, \134.
    std::istringstream f(line);
    std::string skip, point;
    f >> skip >> skip >> skip >> skip >> point;
    std::string un;
    for (size_t i = 0; i < point.size(); ++i) {
      if (point[i] == '\\' && i + 3 < point.size() &&
          std::isdigit(static_cast<unsigned char>(point[i + 1]))) {
        un += char(std::stoi(point.substr(i + 1, 3), nullptr, 8));
        i += 3;
      } else {
        un += point[i];
      }
    }
    if (fs::path(un) == want) return true;
  }
  return false;
}

ResolvedPath resolve(const PathTemplate& t, const std::map<std::string, std::string>& values,
                     const MountMap& mounts) {
  ResolvedPath out;
  if (!t.unc_share.empty()) {
    auto it = mounts.find(unc_key(t.unc_share));
    if (it == mounts.end())
      throw std::invalid_argument(
          fmt::format("the share {} has no mount point on this server: invoicing deliver mount add "
                      "'{}' /mnt/...",
                      t.unc_share, t.unc_share));
    out.root = it->second.dir;
    if (!it->second.local) out.mount = it->second.dir;
  } else {
    out.root = "/";
  }
  for (const auto& p : t.root_parts) out.root /= p;
  out.dir = out.root;
  for (const auto& part : t.var_parts) {
    std::string folder;
    size_t i = 0;
    for (size_t open = part.find('['); open != std::string::npos; open = part.find('[', i)) {
      folder += part.substr(i, open - i);
      const size_t close = part.find(']', open);
      const std::string name = part.substr(open + 1, close - open - 1);
      auto v = values.find(name);
      const std::string value = v == values.end() ? "" : v->second;
      const std::string safe = safe_component(value);
      if (safe.empty())
        throw std::invalid_argument(
            fmt::format("[{}] is {}: it gives no folder name for {}", name,
                        value.empty() ? "empty" : fmt::format("\"{}\"", value), t.text));
      folder += safe;
      i = close + 1;
    }
    folder += part.substr(i);
    // The fixed text around a variable may still make a name Windows refuses ("[x]." or "CON").
    const std::string safe = safe_component(folder);
    if (safe.empty())
      throw std::invalid_argument(fmt::format("{} gives an empty folder name", t.text));
    out.dir /= safe;
  }
  if (!is_within(out.dir, out.root))
    throw std::invalid_argument(
        fmt::format("{} leads out of its root {}", t.text, out.root.string()));
  return out;
}

}  // namespace invoicing::delivery
