// Every kind of file the import library refuses as a whole, given to `invoicing import`: a
// clear message naming the file and what is wrong, exit code 1, and the data folder exactly
// as it was (a company with data in it, so that "nothing written" means something).
#include <catch2/catch.hpp>

#include "cli_test_util.h"
#include "import_test_util.h"

using namespace invoicing::import::test;
using xbase::test::write_file;
namespace fs = std::filesystem;

namespace {

struct Hostile {
  std::string file;
  std::string message;  // a part of what the user reads
};

void refused_without_a_trace(const Company& c, const Hostile& h,
                             const std::vector<std::string>& extra = {}) {
  INFO(h.file);
  const auto before = snapshot(c.data());
  std::vector<std::string> args = {"import", "customers", (c / h.file).string(), "--report",
                                   (c / "r.csv").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = c.run(args);
  CHECK(r.rc == 1);
  CHECK_THAT(r.err, Catch::Contains(h.file) && Catch::Contains(h.message) &&
                        Catch::Contains("nothing was imported"));
  CHECK(r.out.empty());
  CHECK(snapshot(c.data()) == before);
}

}  // namespace

TEST_CASE("Import: hostile and broken files are refused with a message and write nothing",
          "[import][cli][bad]") {
  Company c;
  write_file(c / "good.csv", "Klantcode;Naam\r\nK1;Bestaande Klant\r\n");
  REQUIRE(c.run({"import", "customers", (c / "good.csv").string()}).rc == 0);

  write_file(c / "empty.csv", "");
  write_file(c / "header.csv", "Naam;Gemeente\r\n\r\n");
  std::string png = "\x89PNG\r\n\x1A\n";
  png += std::string("\0\0\0\rIHDR", 8);
  write_file(c / "logo.csv", png);
  std::string controls = "Naam\n";
  for (int i = 0; i < 100; ++i) controls += "\x01\x02\x03\x04 x\n";
  write_file(c / "ctl.csv", controls);
  write_file(c / "mixed.csv", "Naam\nCaf\xC3\xA9\nCaf\xE9\n");
  write_file(c / "neither.csv",
             "Naam\nA\x81"
             "B\n");
  write_file(c / "bom.csv", "\xEF\xBB\xBFNaam\nCaf\xE9\n");
  write_file(c / "open.csv", "Naam;Opmerking\nJan;\"nooit gesloten\n");
  std::string long_record = "Naam;Opmerking\nJan;\"" + std::string(3 << 20, 'x') + "\"\n";
  write_file(c / "long.csv", long_record);
  write_file(c / "fake.xlsx", "PK\x03\x04 not really a zip archive at all");
  write_file(c / "fake.xls",
             std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(600, '\0'));
  write_file(c / "noname.csv", "Klantcode;Gemeente\r\nK9;Gent\r\n");
  std::string many = "Naam\r\n";
  for (int i = 0; i < 200001; ++i) many += "Klant " + std::to_string(i) + "\r\n";
  write_file(c / "many.csv", many);
  run_python("make_bad_xlsx.py", {"bomb", (c / "bomb.xlsx").string()}, c.scratch());
  run_python("make_bad_xlsx.py", {"broken_sst", (c / "sst.xlsx").string()}, c.scratch());
  run_python("make_openpyxl.py", {"customers", (c / "klanten.xlsx").string()}, c.scratch());

  for (const Hostile& h : std::vector<Hostile>{
           {"empty.csv", "the file is empty"},
           {"header.csv", "only a header row (row 1), no data rows"},
           {"logo.csv", "not a text file: a NUL byte at offset 8"},
           {"ctl.csv", "not a text file"},
           {"mixed.csv", "mixes encodings"},
           {"neither.csv", "neither UTF-8 nor Windows-1252: byte 0x81 at line 2"},
           {"bom.csv", "not valid UTF-8 at line 2"},
           {"open.csv", "line 2: a quoted field is not closed"},
           {"long.csv", "line 2: a record longer than 1048576 bytes"},
           {"fake.xlsx", "not a readable XLSX"},
           {"fake.xls", "fake.xls:"},
           {"noname.csv", "no column for the required field 'name'"},
           {"many.csv", "more than 200000 data rows"},
           {"bomb.xlsx", "xl/worksheets/sheet1.xml: inflates more than 200 times"},
           {"sst.xlsx", "xl/sharedStrings.xml: is broken"},
       })
    refused_without_a_trace(c, h);

  // A mapping that does not fit the file, and a sheet the workbook does not have.
  refused_without_a_trace(c, {"good.csv", "the mapping names column 'Firma'"},
                          {"--map", "Firma=name"});
  refused_without_a_trace(c, {"good.csv", "have no field 'naam'"}, {"--map", "Naam=naam"});
  refused_without_a_trace(
      c, {"klanten.xlsx", "no sheet named 'Nergens' (sheets: 'Klanten', 'Leveranciers')"},
      {"--sheet", "Nergens"});
  CHECK(!fs::exists(c / "r.csv"));  // refused before there were rows to report on
  CHECK(csv_lines(c.export_csv("customers")).size() == 2);
}
