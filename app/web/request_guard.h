// Who may talk to the server: the checks every request passes before anything else looks at
// it. The server listens on 127.0.0.1 only, but any page open in the user's browser and any
// other program on the machine can reach that address; so a request must
//  - name this server in Host (a foreign name is DNS rebinding: a site whose name now points
//    at 127.0.0.1),
//  - come from this server's own page when it says where it comes from (Origin,
//    Sec-Fetch-Site: cross-site requests from other pages are refused),
//  - carry the session token of this start (the cookie set when the printed URL was opened),
//  - and, when it changes anything (POST), the CSRF token the page got from the API.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace invoicing::web {

struct Secrets {
  int port = 0;
  std::string token;  // in the printed URL, then the cookie
  std::string csrf;   // the page sends it in X-CSRF-Token with every POST
};

// A random secret of 32 bytes as 64 hex digits (libsodium's randombytes).
std::string random_secret();

// What the guard reads of a request.
struct RequestFacts {
  std::string method;  // "GET", "POST", ...
  std::string target;  // "/api/customers?search=x"
  std::string host, origin, sec_fetch_site, cookie, csrf_header;
};

struct GuardVerdict {
  enum class Kind { pass, enter, refuse } kind = Kind::refuse;
  int status = 403;      // refuse: the HTTP status
  std::string reason;    // refuse: said in the answer
  std::string location;  // enter: where to send the browser (the URL without the token)
};

// pass: serve it. enter: the printed URL was opened: set the cookie (session_cookie) and send
// the browser to `location`. refuse: answer `status` with `reason`.
GuardVerdict check_request(const Secrets& s, const RequestFacts& r);

// The cookie's name (per port: cookies are per host, not per port, so two servers on one
// machine must not share a name) and its Set-Cookie value.
std::string cookie_name(int port);
std::string session_cookie(const Secrets& s);

struct Target {
  std::string path;                          // as sent ("/api/customers/C%2F1"); never decoded
  std::map<std::string, std::string> query;  // decoded names and values
};
// Splits "/path?a=1&b=x%20y". Throws std::invalid_argument for a bad %-escape.
Target split_target(std::string_view target);
// "%2F" -> "/", "+" -> " " (query values); throws std::invalid_argument for a bad escape.
std::string url_decode(std::string_view text, bool plus_is_space);

}  // namespace invoicing::web
