// The request guard of `invoicing ui` on its own (app/web/request_guard): which requests
// pass, which enter with the token, which are refused and with what status.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "web/request_guard.h"

using namespace invoicing::web;

namespace {

Secrets secrets() {
  Secrets s;
  s.port = 8123;
  s.token = std::string(64, 'a');
  s.csrf = std::string(64, 'c');
  return s;
}

RequestFacts get(const std::string& target) {
  RequestFacts r;
  r.method = "GET";
  r.target = target;
  r.host = "127.0.0.1:8123";
  r.cookie = "other=1; invoicing_8123=" + std::string(64, 'a');
  return r;
}

}  // namespace

TEST_CASE("ui guard: a request of this server's page with the session cookie passes") {
  const auto v = check_request(secrets(), get("/api/session"));
  CHECK(v.kind == GuardVerdict::Kind::pass);
  auto r = get("/");
  r.host = "localhost:8123";
  r.origin = "http://localhost:8123";
  CHECK(check_request(secrets(), r).kind == GuardVerdict::Kind::pass);
}

TEST_CASE("ui guard: the printed URL enters once its token is right, and only by GET") {
  RequestFacts r = get("/?token=" + std::string(64, 'a'));
  r.cookie.clear();
  auto v = check_request(secrets(), r);
  CHECK(v.kind == GuardVerdict::Kind::enter);
  CHECK(v.location == "/");
  r.target = "//evil.example/?token=" + std::string(64, 'a');
  v = check_request(secrets(), r);
  CHECK(v.kind == GuardVerdict::Kind::enter);
  CHECK(v.location == "/");  // never to another site
  r.target = "/?token=" + std::string(63, 'a') + "b";
  v = check_request(secrets(), r);
  CHECK(v.kind == GuardVerdict::Kind::refuse);
  CHECK(v.status == 401);
  r.target = "/?token=" + std::string(64, 'a');
  r.method = "POST";
  CHECK(check_request(secrets(), r).status == 405);
  CHECK(session_cookie(secrets()) == "invoicing_8123=" + std::string(64, 'a') + "; Path=/; HttpOnly; SameSite=Strict");
}

TEST_CASE("ui guard: no cookie, a cookie of another port or a shorter token is refused with 401") {
  auto r = get("/api/session");
  r.cookie.clear();
  CHECK(check_request(secrets(), r).status == 401);
  r.cookie = "invoicing_8124=" + std::string(64, 'a');
  CHECK(check_request(secrets(), r).status == 401);
  r.cookie = "invoicing_8123=" + std::string(63, 'a');
  CHECK(check_request(secrets(), r).status == 401);
  r.cookie = "xinvoicing_8123=" + std::string(64, 'a');
  CHECK(check_request(secrets(), r).status == 401);
}

TEST_CASE("ui guard: a foreign Host, Origin or a cross-site fetch is refused with 403") {
  for (const char* host : {"evil.example:8123", "127.0.0.1", "127.0.0.1:8124", "127.0.0.2:8123", "", "LOCALHOST:8123"}) {
    auto r = get("/api/session");
    r.host = host;
    const auto v = check_request(secrets(), r);
    CHECK(v.status == 403);
    CHECK(v.reason.find("Host") != std::string::npos);
  }
  for (const char* origin : {"http://evil.example", "http://127.0.0.1:8124", "https://127.0.0.1:8123", "null"}) {
    auto r = get("/api/session");
    r.origin = origin;
    CHECK(check_request(secrets(), r).status == 403);
  }
  auto r = get("/api/session");
  r.sec_fetch_site = "cross-site";
  CHECK(check_request(secrets(), r).status == 403);
  r.sec_fetch_site = "same-origin";
  CHECK(check_request(secrets(), r).kind == GuardVerdict::Kind::pass);
}

TEST_CASE("ui guard: a POST needs the CSRF token, other methods are refused") {
  auto r = get("/api/customers");
  r.method = "POST";
  CHECK(check_request(secrets(), r).status == 403);
  r.csrf_header = std::string(64, 'a');  // the session token is not the CSRF token
  CHECK(check_request(secrets(), r).status == 403);
  r.csrf_header = std::string(64, 'c');
  CHECK(check_request(secrets(), r).kind == GuardVerdict::Kind::pass);
  for (const char* m : {"PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"}) {
    r.method = m;
    CHECK(check_request(secrets(), r).status == 405);
  }
}

TEST_CASE("ui guard: a target that is no path or has a bad escape is refused with 400") {
  CHECK(check_request(secrets(), get("http://127.0.0.1:8123/")).status == 400);
  CHECK(check_request(secrets(), get("*")).status == 400);
  CHECK(check_request(secrets(), get("/api/customers?search=%zz")).status == 400);
  CHECK(check_request(secrets(), get("/api/customers?search=%4")).status == 400);
}

TEST_CASE("ui guard: targets split into the raw path and decoded query values") {
  const Target t = split_target("/api/customers/C%2F1?search=caf%C3%A9+zo%C3%AB&offset=25&&flag");
  CHECK(t.path == "/api/customers/C%2F1");
  CHECK(t.query.at("search") == "café zoë");
  CHECK(t.query.at("offset") == "25");
  CHECK(t.query.at("flag").empty());
  CHECK(url_decode("a+b%2Fc", false) == "a+b/c");
  CHECK_THROWS_AS(url_decode("%", true), std::invalid_argument);
  CHECK_THROWS_AS(url_decode("%a", true), std::invalid_argument);
}

TEST_CASE("ui guard: two secrets are never the same and are 64 hex digits") {
  const std::string a = random_secret(), b = random_secret();
  CHECK(a.size() == 64);
  CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(a != b);
}
