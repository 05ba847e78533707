// Folders and tables named outside ASCII: the engine keeps paths as std::filesystem::path and
// hands them to the operating system whole (wide characters on Windows, UTF-8 bytes on Linux),
// so every program sees the same names.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "test_util.h"
#include "xbase/table.h"
#include "xbase/transaction.h"

namespace fs = std::filesystem;
using namespace xbase;

TEST_CASE("a data folder named Café Zoë holds tables, memos, tags and transactions", "[io]") {
  test::TempDir d;
  const fs::path dir = d.path() / fs::path(u8"Café Zoë");
  fs::create_directory(dir);
  {
    auto t = Table::create(dir / fs::path(u8"KLANTÉ.DBF"), parse_field_list("ID N(6), NAME C(20), NOTE M"));
    t->append(std::vector<Value>{Value::integer(1), Value::text("Chloé"), Value::text("memo één")});
    t->create_tag({"ID", "ID", "", false, false, false});
    Transaction tx{t.get()};
    t->update(1, 1, Value::text("Zoë"));
    t->update(1, 2, Value::text(std::string(200, 'z')));
    tx.commit();
  }
  auto t = Table::open(dir / fs::path(u8"KLANTÉ.DBF"));
  CHECK(t->read(1).get(1).str() == "Zoë");
  CHECK(t->read(1).get(2).str() == std::string(200, 'z'));
  CHECK(t->seek("ID", Value::integer(1)) == 1u);
  CHECK(t->verify_tag("ID").empty());
  // The names on disk are the ones asked for, in every API's form.
  std::set<std::u8string> folder, files;
  for (const auto& e : fs::directory_iterator(d.path())) folder.insert(e.path().filename().u8string());
  for (const auto& e : fs::directory_iterator(dir))
    // (the transaction's journal, left as a spare for the next program: a random name)
    if (e.path().extension() != ".xbj") files.insert(e.path().filename().u8string());
  CHECK(folder == std::set<std::u8string>{u8"Café Zoë"});
  // (and the journal marker the transaction's journal announced itself in)
  CHECK(files == std::set<std::u8string>{u8"KLANTÉ.DBF", u8"KLANTÉ.FPT", u8"KLANTÉ.CDX", u8"_xbase_journals.xbj.mark"});
  CHECK(test::journal_files(dir) == 1);
}
