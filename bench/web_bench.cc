// invoicing-web-bench: the time `invoicing ui` takes per API call in a company of N
// customers and M final invoices: each call through the real server (HTTP on 127.0.0.1, the
// guard, the API, the store) from a client on a kept-alive connection, as the page makes
// them. Prints the median, 95th percentile and maximum per call; never passes or fails on
// time. The company is made through the store (customers by one bulk import, the first
// 1,000 invoices one by one: create, a line, finalize; more are copies of them as rows, one
// in a hundred of those a draft).
//
//   invoicing-web-bench [--customers 10000] [--docs 1000] [--runs 50] [--dir DIR] [--keep]
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "store/bulk_import.h"
#include "store/company.h"
#include "store/document_records.h"
#include "store/documents.h"
#include "store/storage.h"
#include "web/api.h"
#include "web/request_guard.h"
#include "web/server.h"

namespace fs = std::filesystem;
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using namespace invoicing;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Documents made through the store one by one (create, a line, finalize); more are copies.
constexpr int kMadeOneByOne = 1000;

const char* const kCities[] = {"Antwerpen", "Gent", "Brugge", "Liège", "Namur", "Leuven", "Hasselt", "Mons"};

void fill(store::Company& c, int customers, int docs) {
  store::PartyImport imp(c, store::PartyKind::customer, store::OnDuplicate::fail);
  auto record = [](size_t i) {
    store::PartyRecord r;
    r.input.code = fmt::format("C{:06}", i + 1);
    r.input.name = fmt::format("Klant {} BV", i + 1);
    r.input.city = kCities[i % std::size(kCities)];
    r.input.country = "BE";
    return r;
  };
  for (int i = 0; i < customers; ++i) imp.check(record(size_t(i)));
  imp.write(record);
  store::Documents d(c);
  const int made = std::min(docs, kMadeOneByOne);
  for (int n = 0; n < made; ++n) {
    const int32_t id = d.create(domain::DocType::invoice, fmt::format("C{:06}", 1 + (n * 7919) % customers));
    store::LineSpec l;
    l.text = "Werk";
    l.quantity = "2";
    l.price = fmt::format("{}.50", 10 + n % 90);
    d.add_line(id, l);
    d.finalize(id);
  }
  // The rest are copies of those, numbered on and spread over the customers (customer ids
  // are 1..N in import order), written as rows a thousand per action: 100,000 documents
  // made one by one would take hours, and reading them is what is measured.
  store::Storage& s = c.storage();
  for (int base = made; base < docs; base += 1000) {
    const int end = std::min(docs, base + 1000);
    std::vector<std::pair<int32_t, int32_t>> copies;  // template id, new id
    store::Action a(s);
    for (int n = base; n < end; ++n) {
      store::Document doc = store::document_by_id(s, 1 + n % made);
      doc.number = n + 1;
      doc.party = 1 + (n * 7919) % customers;
      // One in a hundred left a draft: the dashboard and the drafts list have some to find.
      if (n % 100 == 99) {
        doc.status = domain::DocStatus::draft;
        doc.number = 0;
        doc.open = {};  // a draft keeps nothing open
      }
      store::Row r = store::row_of(doc);
      s.insert(store::Tbl::doc, r);
      copies.emplace_back(1 + n % made, int32_t(r.integer(store::fld::id)));
    }
    for (const auto& [from, to] : copies)
      for (auto l : store::lines_of(s, from)) {
        l.doc = to;
        store::Row r = store::row_of(l);
        s.insert(store::Tbl::docline, r);
      }
    a.commit();
  }
}

struct Call {
  const char* name;
  http::verb method;
  std::string target, body;
};

}  // namespace

int main(int argc, char** argv) {
  int customers = 10000, docs = 1000, runs = 50;
  fs::path root;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--customers") customers = std::stoi(next());
    else if (a == "--docs") docs = std::stoi(next());
    else if (a == "--runs") runs = std::stoi(next());
    else if (a == "--dir") root = next();
    else if (a == "--keep") keep = true;
    else {
      std::cerr << "usage: invoicing-web-bench [--customers N] [--docs N] [--runs N] [--dir DIR] [--keep]\n";
      return 2;
    }
  }
  if (customers < 1 || docs < 1 || runs < 1) {
    std::cerr << "invoicing-web-bench: --customers, --docs and --runs must be at least 1\n";
    return 2;
  }
  if (root.empty()) root = fs::temp_directory_path() / fmt::format("invoicing-web-bench-{}", getpid());
  fs::remove_all(root);
  fs::create_directories(root);
  const fs::path data = root / "firma";
  store::InitOptions io;
  io.company = "Benchmark NV";
  store::Company::init(data, io);
  store::OpenOptions oo;
  oo.who = {"bench", "BENCH"};
  auto company = store::Company::open(data, oo);
  auto t = Clock::now();
  fill(*company, customers, docs);
  std::cout << fmt::format("company: {} customers, {} invoices ({} drafts), made through the store in {:.1f} s\n",
                           customers, docs, std::max(0, docs - kMadeOneByOne) / 100, since(t));

  web::Server server(0, web::Limits{});
  web::Secrets secrets;
  secrets.port = server.port();
  secrets.token = web::random_secret();
  secrets.csrf = web::random_secret();
  web::Api api(*company, secrets.csrf);
  std::thread serving([&] { server.run(secrets, [&api](const web::ApiRequest& r) { return api.handle(r); }); });

  const std::string mid = fmt::format("C{:06}", customers / 2);
  const int32_t doc = docs / 2 + 1;
  const std::vector<Call> calls = {
      {"GET dashboard", http::verb::get, "/api/dashboard", ""},
      {"GET customers, first page of 25", http::verb::get, "/api/customers?offset=0&limit=25", ""},
      {"GET customers, last page (offset)", http::verb::get, fmt::format("/api/customers?offset={}&limit=25", customers - 25), ""},
      {"GET customers, last page (after)", http::verb::get,
       fmt::format("/api/customers?offset={}&limit=25&after=C{:06}", customers - 25, customers - 25), ""},
      {"GET customers, search by city", http::verb::get, "/api/customers?search=brugge&limit=25", ""},
      {"GET customers, search by code", http::verb::get, fmt::format("/api/customers?search={}", mid), ""},
      {"GET one customer", http::verb::get, fmt::format("/api/customers/{}", mid), ""},
      {"POST edit a customer", http::verb::post, fmt::format("/api/customers/{}", mid), R"({"phone":"+32 3 123 45 67"})"},
      {"GET documents, newest 50", http::verb::get, "/api/documents?limit=50", ""},
      {"GET documents, drafts", http::verb::get, "/api/documents?status=D&limit=50", ""},
      {"GET documents of one customer", http::verb::get, fmt::format("/api/documents?party=C{:06}&limit=50", 1), ""},
      {"GET one invoice", http::verb::get, fmt::format("/api/documents/{}", doc), ""},
      {"POST line preview", http::verb::post, fmt::format("/api/documents/{}/preview", doc), R"({"quantity":"3","price":"12.50"})"},
      {"GET settings", http::verb::get, "/api/settings", ""},
      {"GET app.js", http::verb::get, "/app.js", ""},
  };

  net::io_context client_io;
  beast::tcp_stream stream(client_io);
  stream.connect(net::ip::tcp::endpoint(net::ip::make_address_v4("127.0.0.1"), static_cast<unsigned short>(secrets.port)));
  beast::flat_buffer buffer;
  const std::string host = fmt::format("127.0.0.1:{}", secrets.port);
  const std::string cookie = fmt::format("{}={}", web::cookie_name(secrets.port), secrets.token);
  int failures = 0;
  std::cout << fmt::format("{:<34} {:>9} {:>9} {:>9} {:>9}   ({} runs each, HTTP on a kept-alive connection)\n", "call",
                           "p50 ms", "p95 ms", "max ms", "bytes", runs);
  for (const Call& call : calls) {
    std::vector<double> ms;
    size_t bytes = 0;
    for (int r = 0; r < runs; ++r) {
      http::request<http::string_body> req{call.method, call.target, 11};
      req.set(http::field::host, host);
      req.set(http::field::cookie, cookie);
      if (call.method == http::verb::post) {
        req.set("X-CSRF-Token", secrets.csrf);
        req.set(http::field::content_type, "application/json");
        req.body() = call.body;
      }
      req.prepare_payload();
      http::response<http::string_body> res;
      const auto start = Clock::now();
      http::write(stream, req);
      http::read(stream, buffer, res);
      ms.push_back(since(start) * 1000);
      bytes = res.body().size();
      if (res.result_int() >= 300 && r == 0) {
        std::cerr << fmt::format("{}: HTTP {}: {}\n", call.name, res.result_int(), res.body().substr(0, 300));
        ++failures;
      }
    }
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, size_t(q * double(ms.size())))]; };
    std::cout << fmt::format("{:<34} {:>9.2f} {:>9.2f} {:>9.2f} {:>9}\n", call.name, at(0.5), at(0.95), ms.back(), bytes);
  }
  server.stop();
  serving.join();
  company.reset();
  if (!keep) fs::remove_all(root);
  return failures ? 1 : 0;
}
