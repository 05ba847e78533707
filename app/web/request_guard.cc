#include "web/request_guard.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace invoicing::web {

std::string random_secret() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

namespace {

// Constant time, so the answer's timing says nothing about how much of a guess was right.
bool same_secret(std::string_view given, const std::string& secret) {
  return given.size() == secret.size() && sodium_memcmp(given.data(), secret.data(), secret.size()) == 0;
}

// The value of cookie `name` in a Cookie header ("a=1; inv_8080=xyz"); "" when absent.
std::string cookie_value(std::string_view header, const std::string& name) {
  size_t at = 0;
  while (at < header.size()) {
    size_t end = header.find(';', at);
    if (end == std::string_view::npos) end = header.size();
    std::string_view part = header.substr(at, end - at);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
    at = end + 1;
  }
  return "";
}

GuardVerdict refuse(int status, std::string reason) {
  GuardVerdict v;
  v.kind = GuardVerdict::Kind::refuse;
  v.status = status;
  v.reason = std::move(reason);
  return v;
}

}  // namespace

std::string cookie_name(int port) { return fmt::format("invoicing_{}", port); }

std::string session_cookie(const Secrets& s) {
  // HttpOnly: the page's script never sees it; SameSite=Strict: no other site's page sends it.
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict", cookie_name(s.port), s.token);
}

GuardVerdict check_request(const Secrets& s, const RequestFacts& r) {
  const std::string ip_host = fmt::format("127.0.0.1:{}", s.port), name_host = fmt::format("localhost:{}", s.port);
  if (r.host != ip_host && r.host != name_host)
    return refuse(403, fmt::format("refused: Host \"{}\" is not this server ({})", r.host, ip_host));
  if (!r.origin.empty() && r.origin != "http://" + ip_host && r.origin != "http://" + name_host)
    return refuse(403, fmt::format("refused: a request from another site (Origin \"{}\")", r.origin));
  if (r.sec_fetch_site == "cross-site" || r.sec_fetch_site == "same-site")
    return refuse(403, "refused: a request from another site (Sec-Fetch-Site)");
  if (r.target.empty() || r.target.front() != '/') return refuse(400, "refused: the request's target is not a path");
  Target t;
  try {
    t = split_target(r.target);
  } catch (const std::invalid_argument& e) {
    return refuse(400, fmt::format("refused: {}", e.what()));
  }
  if (auto tok = t.query.find("token"); tok != t.query.end()) {
    if (!same_secret(tok->second, s.token))
      return refuse(401, "refused: this link's session token is not this server's (open the URL `invoicing ui` printed)");
    if (r.method != "GET") return refuse(405, "refused: the session token is only taken by opening the link");
    GuardVerdict v;
    v.kind = GuardVerdict::Kind::enter;
    // Only a path of this server: "//host" would send the browser to another site.
    v.location = t.path.size() > 1 && t.path[1] == '/' ? "/" : t.path;
    return v;
  }
  if (!same_secret(cookie_value(r.cookie, cookie_name(s.port)), s.token))
    return refuse(401, "refused: no session (open the URL `invoicing ui` printed; it carries this start's token)");
  if (r.method == "POST") {
    if (!same_secret(r.csrf_header, s.csrf)) return refuse(403, "refused: a change without this page's CSRF token");
  } else if (r.method != "GET" && r.method != "HEAD") {
    return refuse(405, fmt::format("refused: method {} is not served", r.method));
  }
  GuardVerdict v;
  v.kind = GuardVerdict::Kind::pass;
  return v;
}

std::string url_decode(std::string_view text, bool plus_is_space) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      if (i + 2 >= text.size()) throw std::invalid_argument("a cut-off %-escape");
      const int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
      if (hi < 0 || lo < 0) throw std::invalid_argument("a bad %-escape");
      out += char(hi * 16 + lo);
      i += 2;
    } else if (text[i] == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

Target split_target(std::string_view target) {
  Target t;
  const size_t q = target.find('?');
  t.path = std::string(target.substr(0, q));
  if (q == std::string_view::npos) return t;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string name = url_decode(pair.substr(0, eq), true);
    t.query[name] = eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1), true);
  }
  return t;
}

}  // namespace invoicing::web
