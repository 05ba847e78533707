// invoicing-backup-bench: a backup and a replace restore of a large company, timed. The
// company is written straight into a new data folder with the engine (exclusive use,
// write-behind), as consistent as the store would leave it: N customers, M final invoices
// (1..M gap-free in one fiscal year, totals from their lines), three lines each over 100
// articles. Prints figures; never passes or fails on time.
//
//   invoicing-backup-bench [--customers 10000] [--docs 100000] [--dir DIR] [--keep]
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "backup/backup.h"
#include "backup/restore.h"
#include "domain/ogm.h"
#include "domain/totals.h"
#include "store/company.h"
#include "store/documents.h"
#include "store/folder/folder_storage.h"
#include "xbase/table.h"

namespace fs = std::filesystem;
using namespace invoicing;
using xbase::Value;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::unique_ptr<xbase::Table> bulk(const fs::path& dir, store::Tbl t) {
  xbase::OpenOptions o;
  o.exclusive = true;
  o.write_behind = true;
  return xbase::Table::open(store::folder::table_path(dir, store::table_def(t)), o);
}

struct Appender {
  xbase::Table& t;
  std::vector<Value> v;
  explicit Appender(xbase::Table& table) : t(table), v(table.fields().size(), Value::empty()) {}
  Appender& set(std::string_view f, Value x) {
    v[t.field_index_or_throw(f)] = std::move(x);
    return *this;
  }
  void add() {
    t.append(v);
    std::fill(v.begin(), v.end(), Value::empty());
  }
};

void build(const fs::path& dir, int customers, int docs) {
  store::InitOptions io;
  io.company = "Benchmark NV";
  store::Company::init(dir, io);
  namespace fld = store::fld;
  const int year = 2025;
  {
    auto c = bulk(dir, store::Tbl::customer);
    Appender a(*c);
    for (int i = 1; i <= customers; ++i)
      a.set(fld::code, Value::text(fmt::format("C{:06}", i)))
          .set(fld::name, Value::text(fmt::format("Klant {} BV", i)))
          .set(fld::city, Value::text("Antwerpen"))
          .set(fld::country, Value::text("BE"))
          .set(fld::terms, Value::integer(30))
          .add();
    c->close();
    auto art = bulk(dir, store::Tbl::article);
    Appender aa(*art);
    for (int i = 1; i <= 100; ++i)
      aa.set(fld::code, Value::text(fmt::format("A{:03}", i)))
          .set(fld::descr, Value::text(fmt::format("Artikel {}", i)))
          .set(fld::price, Value::number(fmt::format("{}.50", i)))
          .set(fld::vat_category, Value::text("S"))
          .set(fld::vat_rate, Value::number("21"))
          .set(fld::kind, Value::text("G"))
          .add();
    art->close();
  }
  // Numbers follow date order (what verify checks after a restore): spread over the year.
  const int32_t jan1 = xbase::julian_day(xbase::Date{year, 1, 1});
  auto date_of = [&](int n) { return xbase::from_julian_day(jan1 + int32_t(int64_t(n - 1) * 365 / docs)); };
  auto doc = bulk(dir, store::Tbl::doc);
  auto line = bulk(dir, store::Tbl::docline);
  Appender d(*doc), l(*line);
  for (int n = 1; n <= docs; ++n) {
    std::vector<domain::LineInput> in;
    for (int k = 0; k < 3; ++k) {
      int art = 1 + (n * 7 + k * 13) % 100;
      in.push_back({domain::Decimal::from_integer(1 + k), *domain::Decimal::parse(fmt::format("{}.50", art)),
                    domain::Decimal::from_integer(0), domain::VatCategory::standard, domain::Decimal::from_integer(21)});
    }
    auto t = domain::compute_totals(in);
    for (int k = 0; k < 3; ++k)
      l.set(fld::doc_id, Value::integer(n))
          .set(fld::line_no, Value::integer(k + 1))
          .set(fld::article, Value::integer(1 + (n * 7 + k * 13) % 100))
          .set(fld::descr, Value::text("Artikel"))
          .set(fld::quantity, Value::number(in[k].quantity.to_string()))
          .set(fld::price, Value::number(in[k].unit_price.to_string()))
          .set(fld::discount, Value::number("0"))
          .set(fld::vat_category, Value::text("S"))
          .set(fld::vat_rate, Value::number("21"))
          .set(fld::net, Value::number(t.line_net[k].to_string()))
          .add();
    d.set(fld::type, Value::text("INV"))
        .set(fld::year, Value::integer(year))
        .set(fld::number, Value::integer(n))
        .set(fld::status, Value::text("F"))
        .set(fld::party, Value::integer(1 + n % customers))
        .set(fld::doc_date, Value::date(date_of(n)))
        .set(fld::due_date, Value::date(xbase::from_julian_day(xbase::julian_day(date_of(n)) + 30)))
        .set(fld::ogm, Value::text(domain::ogm_from_number(uint64_t(year) * 1000000u + uint64_t(n))))
        .set(fld::total_excl, Value::number(t.total_excl.to_string(2)))
        .set(fld::total_vat, Value::number(t.total_vat.to_string(2)))
        .set(fld::total_incl, Value::number(t.total_incl.to_string(2)))
        .set(fld::open_amount, Value::number(t.total_incl.to_string(2)))  // unpaid (schema 7)
        .set(fld::user, Value::text("bench"))
        .add();
  }
  doc->close();
  line->close();
  auto num = bulk(dir, store::Tbl::numbers);
  Appender nb(*num);
  nb.set(fld::type, Value::text("INV")).set(fld::year, Value::integer(year)).set(fld::next, Value::integer(docs + 1)).set(fld::last_date, Value::date(date_of(docs))).add();
  num->close();
}

uint64_t folder_bytes(const fs::path& dir) {
  uint64_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) n += e.file_size();
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  int customers = 10000, docs = 100000;
  fs::path root;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--customers") customers = std::stoi(next());
    else if (a == "--docs") docs = std::stoi(next());
    else if (a == "--dir") root = next();
    else if (a == "--keep") keep = true;
    else {
      std::cerr << "usage: invoicing-backup-bench [--customers N] [--docs N] [--dir DIR] [--keep]\n";
      return 2;
    }
  }
  if (root.empty()) root = fs::temp_directory_path() / fmt::format("invoicing-backup-bench-{}", getpid());
  fs::remove_all(root);
  fs::create_directories(root);
  const fs::path data = root / "firma";
  auto t = Clock::now();
  build(data, customers, docs);
  std::cout << fmt::format("company: {} customers, {} invoices with {} lines, {:.0f} MB of tables, built in {:.1f} s\n",
                           customers, docs, 3 * docs, double(folder_bytes(data)) / 1e6, since(t));
  store::OpenOptions oo;
  oo.who = {"bench", "BENCH"};
  oo.take_seat = false;
  {
    auto c = store::Company::open(data, oo);
    backup::BackupOptions bo;
    bo.to = root / "backups";
    t = Clock::now();
    auto r = backup::make_backup(*c, bo);
    std::cout << fmt::format("backup:  {:.2f} s ({:.0f} MB ZIP; commits waited {:.2f} s for the copy)\n", since(t),
                             double(r.bytes) / 1e6, r.gate_seconds);
    backup::RestoreOptions ro;
    ro.zip = r.file;
    ro.data = data;
    ro.who = oo.who;
    c.reset();
    t = Clock::now();
    auto rr = backup::restore(ro);
    std::cout << fmt::format("restore: {:.2f} s (replace: unpack, check every table, every record, verify, swap){}\n",
                             since(t), rr.verify_problems.empty() ? "" : " PROBLEMS");
  }
  if (!keep) fs::remove_all(root);
  return 0;
}
