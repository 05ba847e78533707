// The HTTP server of `invoicing ui`: Boost.Beast on 127.0.0.1 only, a few threads answering
// requests of different connections at once (each connection's own in turn, on its strand),
// so that a slow API call does not hold up the others; the API handler is called from any of
// them (ui.cc keeps the store safe). Limits on what a request may be: its size, its headers
// and the time it takes to arrive. Every request passes the guard
// (request_guard.h) first; then /api/... goes to the API and anything else is an embedded
// asset or 404. The server never opens a file for a URL.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "web/request_guard.h"

namespace invoicing::web {

struct Limits {
  std::size_t body_bytes = 1 << 20;       // 413 above
  std::size_t header_bytes = 16 * 1024;   // 431 above
  std::size_t header_count = 64;          // 431 above
  std::chrono::seconds request_time{10};  // a request must arrive whole within this
  std::chrono::seconds idle_time{60};     // a kept-alive connection closes after this idle
  std::size_t connections = 32;           // more at once are closed at once
  unsigned threads = 4;                   // requests answered at once
};

struct ApiRequest {
  std::string method;  // GET or POST
  std::string path;    // "/api/customers/C1" (not decoded)
  std::map<std::string, std::string> query;
  std::string body;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Content-Disposition
};

using ApiHandler = std::function<ApiResponse(const ApiRequest&)>;

class Server {
 public:
  // Binds 127.0.0.1:port (0: a free port); throws std::runtime_error when it cannot.
  Server(int port, Limits limits);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;
  // Serves until SIGINT or SIGTERM (or stop(), from any thread).
  void run(const Secrets& secrets, ApiHandler api);
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace invoicing::web
