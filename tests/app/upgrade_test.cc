// Installing a newer program over an older data folder: every released schema version's
// folder (tests/app/data, written by that release's code) is upgraded in place by the
// `invoicing` program, with a backup first, keeping documents, numbers and stock; the program
// version is stamped into SCHEMA; an older program refuses a newer folder naming both versions.

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <map>
#include <tuple>

#include "test_util.h"
#include "xbase/table.h"

using namespace xbase::test;
namespace fs = std::filesystem;

namespace {

// The schema versions that were released: each has its folder in tests/app/data.
constexpr int kReleased[] = {1, 2};

const fs::path kData = INVOICING_UPGRADE_DATA;

RunResult run(const TempDir& d, const std::vector<std::string>& args) {
  return run_program(INVOICING_TOOL, args, d.path(),
                     "XDG_CONFIG_HOME=" + shell_quote((d / "config").string()));
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string text(const xbase::Value& v) {
  if (v.is_null() || v.is_empty()) return "";
  if (v.kind() == xbase::Value::Kind::text || v.kind() == xbase::Value::Kind::number) {
    std::string s = v.str();
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
  }
  if (v.kind() == xbase::Value::Kind::date) {
    auto d = v.as_date();
    return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
  }
  if (v.kind() == xbase::Value::Kind::logical) return v.as_logical() ? "T" : "F";
  return fmt::format("{}", v.as_real());
}

// Some fields of every record (deleted ones too) of a table, keyed by `key`, read with the
// engine: what the upgrade must keep, whatever the program makes of it.
std::map<std::string, std::vector<std::string>> records(const fs::path& dbf, const std::string& key,
                                                        const std::vector<std::string>& fields) {
  xbase::OpenOptions ro;
  ro.read_only = true;
  auto t = xbase::Table::open(dbf, ro);
  std::map<std::string, std::vector<std::string>> out;
  t->scan([&](const xbase::Record& r) {
    std::vector<std::string> v;
    for (const auto& f : fields) v.push_back(text(r.get(f)));
    v.push_back(r.deleted() ? "deleted" : "");
    out[text(r.get(key))] = v;
    return true;
  });
  return out;
}

struct Facts {
  std::map<std::string, std::vector<std::string>> docs, articles, numbers, customers;
  size_t lines = 0, moves = 0;
};

Facts facts(const fs::path& dir) {
  Facts f;
  f.docs = records(dir / "DOC.DBF", "ID",
                   {"TYPE", "YEAR", "NUMBER", "STATUS", "PARTY", "DOCDATE", "TOTINCL"});
  f.articles = records(dir / "ARTICLE.DBF", "CODE", {"ID", "PRICE", "STOCKED", "STOCK"});
  f.numbers = records(dir / "NUMBERS.DBF", "TYPE", {"YEAR", "NEXT"});
  f.customers = records(dir / "CUSTOMER.DBF", "CODE", {"ID", "NAME", "VAT"});
  f.lines = records(dir / "DOCLINE.DBF", "DOCID", {}).size();
  f.moves = records(dir / "STOCKMOV.DBF", "ID", {}).size();
  return f;
}

std::string schema_field(const fs::path& dir, const std::string& field) {
  return records(dir / "SCHEMA.DBF", "NAME", {field}).at("DATA").at(0);
}

void set_schema(const fs::path& dir, int version, const std::string& program) {
  auto t = xbase::Table::open(dir / "SCHEMA.DBF");
  t->update(1, t->field_index_or_throw("VERSION"), xbase::Value::integer(version));
  t->update(1, t->field_index_or_throw("PROGRAM"), xbase::Value::text(program));
  t->close();
}

std::string program_name(const TempDir& d) {
  auto v = run(d, {"--version"});
  std::string s = v.out;
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;  // "invoicing 0.1.0"
}

int current_schema(const TempDir& d) {
  auto v = run(d, {"version", "--json"});
  auto at = v.out.find("\"schema\":");
  REQUIRE(at != std::string::npos);
  return std::stoi(v.out.substr(at + 9));
}

}  // namespace

TEST_CASE("every released schema version has its folder, written by that release",
          "[app][upgrade]") {
  for (int v : kReleased) {
    INFO("schema-v" << v);
    REQUIRE(fs::exists(kData / fmt::format("schema-v{}", v) / "SCHEMA.DBF"));
    CHECK(schema_field(kData / fmt::format("schema-v{}", v), "VERSION") == std::to_string(v));
  }
}

TEST_CASE(
    "a Free folder of every earlier schema version is upgraded in place with a backup, keeping its "
    "data",
    "[app][upgrade]") {
  for (int v : kReleased) {
    TempDir d;
    const int current = current_schema(d);
    const std::string program = program_name(d);
    REQUIRE(v < current);
    const fs::path dir = d / "data";
    fs::copy(kData / fmt::format("schema-v{}", v), dir, fs::copy_options::recursive);
    const Facts before = facts(dir);
    REQUIRE(before.docs.size() > 100);
    INFO("schema-v" << v);

    auto info = run(d, {"version", "--data", dir.string()});
    CHECK(has(info.out, fmt::format("schema version {} (upgraded when this program opens it)", v)));
    CHECK(schema_field(dir, "VERSION") == std::to_string(v));  // looking is not upgrading

    // The first program that opens it upgrades it; verify passes on the result.
    auto r = run(d, {"verify", "--data", dir.string()});
    INFO(r.out << r.err);
    CHECK(r.rc == 0);
    CHECK(has(r.err, fmt::format("upgraded from schema version {} to {}", v, current)));
    CHECK(schema_field(dir, "VERSION") == std::to_string(current));
    CHECK(schema_field(dir, "PROGRAM") == program);

    // The backup holds the files as they were, byte for byte.
    std::vector<fs::path> backups;
    for (const auto& e : fs::directory_iterator(dir / "backups")) backups.push_back(e.path());
    REQUIRE(backups.size() == 1);
    CHECK(backups[0].filename().string().rfind(fmt::format("schema-v{}-", v), 0) == 0);
    for (const char* f : {"DOC.DBF", "ARTICLE.DBF", "NUMBERS.DBF", "STOCKMOV.DBF", "SCHEMA.DBF"})
      CHECK(read_file(backups[0] / f) == read_file(kData / fmt::format("schema-v{}", v) / f));

    // Documents, numbers, stock and customers as they were.
    const Facts after = facts(dir);
    CHECK(after.docs == before.docs);
    CHECK(after.articles == before.articles);
    CHECK(after.numbers == before.numbers);
    CHECK(after.customers == before.customers);
    CHECK(after.lines == before.lines);
    CHECK(after.moves == before.moves);

    // The program reads it as it is: a Free company (the earlier LICENCE.TXT said Free).
    auto list = run(d, {"doc", "list", "--data", dir.string(), "--json"});
    CHECK(list.rc == 0);
    size_t live = 0;
    for (const auto& [id, rec] : before.docs) live += rec.back().empty();
    size_t listed = 0;
    for (size_t at = 0; (at = list.out.find("\"id\":", at)) != std::string::npos; ++at) ++listed;
    CHECK(listed == live);
    auto ver = run(d, {"version", "--data", dir.string(), "--json"});
    CHECK(has(ver.out, "\"state\":\"none\""));
    CHECK(has(ver.out, "\"edition\":\"Free\""));
    CHECK(has(ver.out, fmt::format("\"folder\":{{\"schema\":{}", current)));

    // Once: the next program finds the current version and leaves it be.
    CHECK(run(d, {"stock", "--data", dir.string()}).rc == 0);
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir / "backups")) ++n;
    CHECK(n == 1);
  }
}

TEST_CASE("an older program refuses a newer folder naming both versions, and changes nothing",
          "[app][upgrade]") {
  TempDir d;
  const int current = current_schema(d);
  const std::string program = program_name(d);
  const fs::path dir = d / "data";
  REQUIRE(run(d, {"init", dir.string()}).rc == 0);
  set_schema(dir, current + 1, "invoicing 9.1.0");
  const std::string doc = read_file(dir / "DOC.DBF"), schema = read_file(dir / "SCHEMA.DBF");
  auto r = run(d, {"customer", "list", "--data", dir.string()});
  CHECK(r.rc == 1);
  INFO(r.err);
  CHECK(has(r.err, fmt::format("schema version {}, written by invoicing 9.1.0", current + 1)));
  CHECK(has(r.err,
            fmt::format("this program ({}) knows schema versions up to {}", program, current)));
  CHECK(has(r.err, "never downgraded"));
  CHECK(read_file(dir / "DOC.DBF") == doc);
  CHECK(read_file(dir / "SCHEMA.DBF") == schema);
  auto v = run(d, {"version", "--data", dir.string()});
  CHECK(v.rc == 0);
  CHECK(has(v.out, "newer than this program"));
}

TEST_CASE(
    "a newer program stamps its version into a folder of the current schema, an older one leaves "
    "it",
    "[app][upgrade]") {
  TempDir d;
  const int current = current_schema(d);
  const std::string program = program_name(d);
  const fs::path dir = d / "data";
  REQUIRE(run(d, {"init", dir.string()}).rc == 0);
  CHECK(schema_field(dir, "PROGRAM") == program);
  set_schema(dir, current, "invoicing 0.0.1");
  REQUIRE(run(d, {"stock", "--data", dir.string()}).rc == 0);
  CHECK(schema_field(dir, "PROGRAM") == program);
  CHECK(!fs::exists(dir / "backups"));  // same schema: nothing to back up
  set_schema(dir, current, "invoicing 9.1.0");
  REQUIRE(run(d, {"stock", "--data", dir.string()}).rc == 0);
  CHECK(schema_field(dir, "PROGRAM") == "invoicing 9.1.0");
  CHECK(has(run(d, {"version", "--data", dir.string()}).out, "last worked in by invoicing 9.1.0"));
}
