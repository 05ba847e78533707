#include "web/server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "web/assets.h"

namespace invoicing::web {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

using Response = http::response<http::string_body>;

// Said on every answer: no caching of company data, no framing by other pages, no guessing
// of content types, no Referer (the first URL carries the token), and only this server's
// own scripts and styles.
void secure_headers(Response& res) {
  res.set(http::field::cache_control, "no-store");
  res.set("X-Frame-Options", "DENY");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  res.set(http::field::server, "invoicing");
}

Response plain(int status, const std::string& text, unsigned version) {
  Response res{static_cast<http::status>(status), version};
  res.set(http::field::content_type, "application/json");
  res.body() = nlohmann::json{{"error", text}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  secure_headers(res);
  res.prepare_payload();
  return res;
}

}  // namespace

struct Server::Impl {
  net::io_context io;
  // On a strand of its own: the accept handler and stop() (posted there) touch the acceptor,
  // and with several threads running io they ran at once (stop closing it while a handler
  // started the next accept: a crash now and then at shutdown).
  tcp::acceptor acceptor{net::make_strand(io)};
  Limits limits;
  const Secrets* secrets = nullptr;
  ApiHandler api;
  std::atomic<std::size_t> open_connections{0};

  Response answer(const http::request<http::string_body>& req);
  void accept();
};

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {
    ++server_.open_connections;
  }
  ~Connection() { --server_.open_connections; }

  void read() {
    parser_.emplace();
    parser_->body_limit(server_.limits.body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(server_.limits.header_bytes));
    // One deadline for the whole request (slow senders are cut off, however they trickle),
    // the idle time for the wait before its first byte.
    stream_.expires_after(first_ ? server_.limits.request_time : server_.limits.idle_time);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Connection::on_read, shared_from_this()));
  }

 private:
  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::body_limit) return refuse(413, "refused: the request is larger than the server takes");
    if (ec == http::error::header_limit) return refuse(431, "refused: the request's headers are too large");
    if (ec) return close();  // end of stream, time limit, or bytes that are no HTTP
    auto req = parser_->release();
    const auto headers = static_cast<std::size_t>(std::distance(req.begin(), req.end()));
    if (headers > server_.limits.header_count) return refuse(431, "refused: the request has too many headers");
    stream_.expires_after(server_.limits.request_time * 6);  // the answer's time to go out
    try {
      res_ = server_.answer(req);
    } catch (const std::exception& e) {  // the API answers its own errors; this is a last resort
      res_ = plain(500, std::string("the server failed: ") + e.what(), req.version());
    }
    res_.keep_alive(req.keep_alive());
    http::async_write(stream_, res_, beast::bind_front_handler(&Connection::on_write, shared_from_this()));
  }

  void refuse(int status, const char* text) {
    res_ = plain(status, text, 11);
    res_.keep_alive(false);
    stream_.expires_after(server_.limits.request_time);
    http::async_write(stream_, res_, beast::bind_front_handler(&Connection::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec || !res_.keep_alive()) return close();
    first_ = false;
    read();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response res_;
  Server::Impl& server_;
  bool first_ = true;
};

}  // namespace

Response Server::Impl::answer(const http::request<http::string_body>& req) {
  RequestFacts facts;
  facts.method = std::string(req.method_string());
  facts.target = std::string(req.target());
  facts.host = std::string(req[http::field::host]);
  facts.origin = std::string(req[http::field::origin]);
  facts.sec_fetch_site = std::string(req["Sec-Fetch-Site"]);
  facts.cookie = std::string(req[http::field::cookie]);
  facts.csrf_header = std::string(req["X-CSRF-Token"]);
  // A header given twice is not guessed at: Beast's [] returns the first one only.
  for (auto f : {http::field::host, http::field::origin, http::field::cookie})
    if (req.count(f) > 1) return plain(400, "refused: a header that may appear once appears twice", req.version());
  if (req.count("X-CSRF-Token") > 1) return plain(400, "refused: a header that may appear once appears twice", req.version());

  const GuardVerdict v = check_request(*secrets, facts);
  if (v.kind == GuardVerdict::Kind::refuse) return plain(v.status, v.reason, req.version());
  if (v.kind == GuardVerdict::Kind::enter) {
    Response res{http::status::see_other, req.version()};
    res.set(http::field::location, v.location);
    res.set(http::field::set_cookie, session_cookie(*secrets));
    secure_headers(res);
    res.prepare_payload();
    return res;
  }
  const Target t = split_target(facts.target);
  Response res{http::status::ok, req.version()};
  if (t.path.rfind("/api/", 0) == 0) {
    ApiRequest a;
    a.method = facts.method == "HEAD" ? "GET" : facts.method;
    a.path = t.path;
    a.query = t.query;
    a.body = req.body();
    ApiResponse r = api(a);
    res.result(static_cast<http::status>(r.status));
    res.set(http::field::content_type, r.content_type);
    for (const auto& [name, value] : r.headers) res.set(name, value);
    res.body() = std::move(r.body);
  } else {
    if (facts.method != "GET" && facts.method != "HEAD") return plain(405, "refused: only GET for the page's files", req.version());
    const Asset* asset = find_asset(t.path == "/" ? "/index.html" : t.path);
    if (!asset) return plain(404, "no such page", req.version());
    res.set(http::field::content_type, asset->content_type);
    res.body().assign(reinterpret_cast<const char*>(asset->data), asset->size);
  }
  secure_headers(res);
  res.prepare_payload();
  if (facts.method == "HEAD") res.body().clear();
  return res;
}

void Server::Impl::accept() {
  // Each connection on a strand of its own: its handlers run one at a time, on any thread.
  acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (!acceptor.is_open()) return;
    if (!ec) {
      if (open_connections >= limits.connections) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<Connection>(std::move(socket), *this)->read();
      }
    }
    accept();
  });
}

Server::Server(int port, Limits limits) : impl_(std::make_unique<Impl>()) {
  impl_->limits = limits;
  if (port < 0 || port > 65535) throw std::runtime_error(fmt::format("--port {}: not a port (0..65535)", port));
  // Loopback only, never another interface: the server is for this workstation's browser.
  const tcp::endpoint at{net::ip::make_address_v4("127.0.0.1"), static_cast<unsigned short>(port)};
  beast::error_code ec;
  impl_->acceptor.open(at.protocol(), ec);
  if (!ec) impl_->acceptor.bind(at, ec);
  if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot listen on 127.0.0.1:{}: {}", port, ec.message()));
}

Server::~Server() = default;

int Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::run(const Secrets& secrets, ApiHandler api) {
  impl_->secrets = &secrets;
  impl_->api = std::move(api);
  net::signal_set signals(impl_->io, SIGINT, SIGTERM);
  signals.async_wait([this](beast::error_code, int) { stop(); });
  impl_->accept();
  std::vector<std::thread> more;
  for (unsigned i = 1; i < std::max(1u, impl_->limits.threads); ++i) more.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& t : more) t.join();
}

void Server::stop() {
  // Through the server's own thread: stop() may come from another one (a benchmark's).
  net::post(impl_->acceptor.get_executor(), [impl = impl_.get()] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    impl->io.stop();
  });
}

}  // namespace invoicing::web
