// `xbase conflicts`: the conflict-copy names of every sync client (and the ordinary names
// that look like them but are not), the folder markers, and the record-by-record comparison
// of a table with its conflict copy as the command line prints it.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "test_util.h"
#include "xbase/sync_clients.h"
#include "xbase/json.h"
#include "xbase/table.h"

using namespace xbase::test;
using xbase::tool::conflict_copy;
using xbase::tool::sync_markers;
namespace fs = std::filesystem;
namespace json = xbase::tool::json;

namespace {

struct Named {
  const char* name;
  std::vector<std::string> siblings;
  const char* client;
  const char* original;
  const char* detail;
  const char* date;
};

// Real-looking names of every client, in several languages and scripts.
const Named kCopies[] = {
    // Dropbox, English.
    {"invoice (conflicted copy 2024-05-02).dbf", {"invoice.dbf"}, "Dropbox", "invoice.dbf", "", "2024-05-02"},
    {"invoice (DESKTOP-1's conflicted copy 2024-05-02).dbf", {"invoice.dbf"}, "Dropbox", "invoice.dbf", "DESKTOP-1", "2024-05-02"},
    {"invoice (DESKTOP-1's conflicted copy 2024-05-02 (1)).dbf", {}, "Dropbox", "invoice.dbf", "DESKTOP-1", "2024-05-02"},
    {"INVOICE (Anna’s conflicted copy 2023-12-31).FPT", {"INVOICE.FPT"}, "Dropbox", "INVOICE.FPT", "Anna", "2023-12-31"},
    // A numbered copy of a conflict copy stands for the same original.
    {"invoice (PC's conflicted copy 2024-05-02) (1).dbf", {}, "Dropbox", "invoice.dbf", "PC", "2024-05-02"},
    // Dropbox, localized.
    {"Rechnung (Büro-PCs in Konflikt stehende Kopie 2024-05-02).dbf", {}, "Dropbox", "Rechnung.dbf", "Büro-PCs", "2024-05-02"},
    {"Rechnung (In Konflikt stehende Kopie von Büro-PC 2024-05-02).cdx", {}, "Dropbox", "Rechnung.cdx", "Büro-PC", "2024-05-02"},
    {"Rechnung (Konfliktkopie von Büro-PC 2024-05-02).dbf", {}, "Dropbox", "Rechnung.dbf", "Büro-PC", "2024-05-02"},
    {"facture (Copie en conflit de PC-Comptabilité 2024-05-02).dbf", {}, "Dropbox", "facture.dbf", "PC-Comptabilité", "2024-05-02"},
    {"factuur (conflicterende kopie van Kantoor 2024-05-02).dbf", {}, "Dropbox", "factuur.dbf", "Kantoor", "2024-05-02"},
    {"factura (Copia en conflicto de Oficina 2024-05-02).dbf", {}, "Dropbox", "factura.dbf", "Oficina", "2024-05-02"},
    {"factura (Copia conflictiva de Oficina 2019-01-15).dbf", {}, "Dropbox", "factura.dbf", "Oficina", "2019-01-15"},
    {"счёт (Бухгалтерия's conflicted copy 2024-05-02).dbf", {"счёт.dbf"}, "Dropbox", "счёт.dbf", "Бухгалтерия", "2024-05-02"},
    {"請求書 (事務所 上の問題のあるコピー 2024-05-02).dbf", {}, "Dropbox", "請求書.dbf", "事務所", "2024-05-02"},
    {"CUSTOMER (Case Conflict).DBF", {"customer.dbf"}, "Dropbox", "customer.dbf", "case conflict", ""},
    // Nextcloud / ownCloud.
    {"invoice (conflicted copy 2024-05-02 101112).dbf", {"invoice.dbf"}, "Nextcloud/ownCloud", "invoice.dbf", "", "2024-05-02T10:11:12"},
    {"invoice (conflicted copy Anna Müller 2024-05-02 101112).dbf", {}, "Nextcloud/ownCloud", "invoice.dbf", "Anna Müller", "2024-05-02T10:11:12"},
    {"invoice_conflict-20240502-101112.dbf", {}, "Nextcloud/ownCloud", "invoice.dbf", "", "2024-05-02T10:11:12"},
    {"invoice_conflict_anna-20240502-101112.dbf", {}, "Nextcloud/ownCloud", "invoice.dbf", "anna", "2024-05-02T10:11:12"},
    // Syncthing.
    {"invoice.sync-conflict-20240502-101112-ABCDEF7.dbf", {"invoice.dbf"}, "Syncthing", "invoice.dbf", "ABCDEF7", "2024-05-02T10:11:12"},
    {"журнал.sync-conflict-20240502-235959-XYZ2345.fpt", {}, "Syncthing", "журнал.fpt", "XYZ2345", "2024-05-02T23:59:59"},
    {"notes.sync-conflict-20240502-101112", {}, "Syncthing", "notes", "", "2024-05-02T10:11:12"},
    // Seafile: the client's form, the server's form, and without a modifier.
    {"invoice (SFConflict anna@example.com 2024-05-02-10-11-12).dbf", {}, "Seafile", "invoice.dbf", "anna@example.com", "2024-05-02T10:11:12"},
    {"invoice (SFConflict anna@example.com 2024-May-2-10-11-12).dbf", {}, "Seafile", "invoice.dbf", "anna@example.com", "2024-05-02T10:11:12"},
    {"invoice (SFConflict 2024-05-02-10-11-12).dbf", {}, "Seafile", "invoice.dbf", "", "2024-05-02T10:11:12"},
    {"Überweisung (SFConflict jörg@example.de 2024-05-02-10-11-12).dbf", {}, "Seafile", "Überweisung.dbf", "jörg@example.de", "2024-05-02T10:11:12"},
    // Resilio Sync: the original may differ in case.
    {"Invoice.Conflict.dbf", {"invoice.dbf"}, "Resilio Sync", "invoice.dbf", "", ""},
    {"invoice.Conflict", {"invoice"}, "Resilio Sync", "invoice", "", ""},
    {"invoice.Conflict1.dbf", {}, "Resilio Sync", "invoice.dbf", "", ""},
    {"invoice.Conflict 3.dbf", {}, "Resilio Sync", "invoice.dbf", "", ""},
    {"invoice.Conflict.Conflict.dbf", {}, "Resilio Sync", "invoice.dbf", "", ""},
    // OneDrive: the computer name, only beside the original.
    {"invoice-DESKTOP-AB12CD3.dbf", {"invoice.dbf"}, "OneDrive", "invoice.dbf", "DESKTOP-AB12CD3", ""},
    {"invoice-DESKTOP-AB12CD3-2.dbf", {"invoice.dbf"}, "OneDrive", "invoice.dbf", "DESKTOP-AB12CD3", ""},
    {"price-list-LAPTOP7.dbf", {"price.dbf", "price-list.dbf"}, "OneDrive", "price-list.dbf", "LAPTOP7", ""},
    {"Kundenübersicht-PC-BUERO.cdx", {"Kundenübersicht.cdx"}, "OneDrive", "Kundenübersicht.cdx", "PC-BUERO", ""},
    // Google Drive and iCloud: numbers, only beside the original.
    {"invoice (1).dbf", {"invoice.dbf"}, "Google Drive", "invoice.dbf", "", ""},
    {"发票 (2).dbf", {"发票.dbf"}, "Google Drive", "发票.dbf", "", ""},
    {"invoice 2.dbf", {"invoice.dbf"}, "iCloud", "invoice.dbf", "", ""},
    {"Übersicht 3.fpt", {"Übersicht.fpt"}, "iCloud", "Übersicht.fpt", "", ""},
};

// Names people give files themselves, each with the siblings that would make it look like a
// copy if the rules were looser.
const std::pair<const char*, std::vector<std::string>> kNotCopies[] = {
    // A number in parentheses inside the name, not before the extension.
    {"invoice (1) draft.dbf", {"invoice.dbf", "invoice draft.dbf"}},
    // Google Drive's and iCloud's forms without the original beside them.
    {"invoice (1).dbf", {"invoices.dbf"}},
    {"Q3 2.dbf", {"Q2.dbf"}},
    // A year is not an iCloud counter, and iCloud starts at 2.
    {"invoices 2024.dbf", {"invoices.dbf"}},
    {"invoice 1.dbf", {"invoice.dbf"}},
    {"invoice (007).dbf", {"invoice.dbf"}},
    // OneDrive's form without the original, or with a suffix that is no computer name:
    // digits only, lower case, too short, period and version codes.
    {"report-2024.dbf", {}},
    {"report-2024.dbf", {"report.dbf"}},
    {"price-list.dbf", {"price.dbf"}},
    {"sales-Q3.dbf", {"sales.dbf"}},
    {"sales-FY24.dbf", {"sales.dbf"}},
    {"plan-V2.dbf", {"plan.dbf"}},
    {"plan-KW12.dbf", {"plan.dbf"}},
    {"invoice-DESKTOP-AB12CD3.fpt", {"invoice.dbf"}},  // a different extension
    {"plan-ÜBERSICHT.dbf", {"plan.dbf"}},              // not an ASCII computer name
    // Words without the date every client writes, or an impossible date.
    {"invoice (conflicted copy).dbf", {}},
    {"meeting (2024-05-02).dbf", {}},
    {"backup (PC's conflicted copy 2024-13-45).dbf", {}},
    {"invoice_conflict.dbf", {}},
    {"conflict.dbf", {}},
    {"my.Conflicts.dbf", {}},
    {"invoice.sync-conflict.dbf", {}},
    {"invoice (SFConflict yesterday).dbf", {}},
    // The original itself, and plain names.
    {"invoice.dbf", {"invoice.dbf", "invoice (1).dbf"}},
    {"счёт.dbf", {"счёт (1).dbf"}},
    {".stfolder", {}},
};

struct Run {
  int rc;
  std::string out, err;
};

// Single quotes for /bin/sh, with embedded quotes closed, escaped and reopened.
void append_quoted(std::string& cmd, const std::string& arg) {
  cmd += " '";
  for (char c : arg) cmd += c == '\'' ? std::string("'\\''") : std::string(1, c);
  cmd += '\'';
}

// Runs the tool with stdout and stderr in files beside (not in) the folder under test, so
// stderr is not a terminal.
Run run_xbase(const TempDir& dir, const std::vector<std::string>& args) {
  std::string cmd;
  append_quoted(cmd, XBASE_TOOL);
  for (const auto& a : args) append_quoted(cmd, a);
  const fs::path out = dir / "stdout.txt", err = dir / "stderr.txt";
  cmd += " >";
  append_quoted(cmd, out.string());
  cmd += " 2>";
  append_quoted(cmd, err.string());
  int st = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(st));
  return {WEXITSTATUS(st), read_file(out), read_file(err)};
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

using xbase::Value;

std::vector<Value> row(int nr, const char* name, const char* note) {
  return {Value::integer(nr), Value::text(name), Value::text(note)};
}

// A table with an integer key, a name and a memo.
void make_table(const fs::path& p, const std::vector<std::vector<Value>>& rows, bool candidate,
                const std::vector<uint32_t>& deleted = {}) {
  auto t = xbase::Table::create(p, xbase::parse_field_list("NR I, NAME C(30), NOTE M"));
  for (const auto& r : rows) t->append(r);
  for (uint32_t d : deleted) t->remove(d);
  if (candidate) t->create_tag({"NR", "NR", "", false, true, false});
  t->close();
}

// The clients of the markers found for `dir` that lie inside the test's own folder `root`
// (whatever the machine has above the temp folder is not the test's business).
std::vector<std::string> clients_under(const fs::path& dir, const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& m : sync_markers(dir)) {
    auto rel = m.path.lexically_relative(fs::weakly_canonical(root));
    if (!rel.empty() && rel.string().rfind("..", 0) != 0) out.push_back(m.client);
  }
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("conflict copies of every sync client are recognised with original, detail and date", "[tools]") {
  for (const auto& c : kCopies) {
    INFO(c.name);
    auto r = conflict_copy(c.name, c.siblings);
    REQUIRE(r);
    CHECK(r->client == c.client);
    CHECK(r->original == c.original);
    CHECK(r->detail == c.detail);
    CHECK(r->date == c.date);
  }
}

TEST_CASE("names that only look like conflict copies are not flagged", "[tools]") {
  for (const auto& [name, siblings] : kNotCopies) {
    INFO(name);
    auto r = conflict_copy(name, siblings);
    CHECK_FALSE(r);
    if (r) INFO(r->client << " " << r->original);
  }
}

TEST_CASE("OneDrive's suffix is matched against the longest original", "[tools]") {
  // "inv-2024-PC01.dbf" beside "inv.dbf" and "inv-2024.dbf": a copy of the yearly table.
  auto r = conflict_copy("inv-2024-PC01.dbf", {"inv.dbf", "inv-2024.dbf"});
  REQUIRE(r);
  CHECK(r->original == "inv-2024.dbf");
  CHECK(r->detail == "PC01");
  // Upper case after a hyphen beside the original is taken for a computer name: the rule's
  // known price, written down here.
  CHECK(conflict_copy("price-LIST.dbf", {"price.dbf"}));
}

TEST_CASE("sync client markers are found in the folder and every folder above it", "[tools]") {
  TempDir d;
  auto mk = [&](const fs::path& p) { fs::create_directories(p); };
  // Dropbox root two levels above the data.
  mk(d / "Box" / "firma" / "daten");
  write_file(d / "Box" / ".dropbox", "{\"tag\": \"dropbox\"}");
  mk(d / "Box" / ".dropbox.cache");
  auto box = clients_under(d / "Box" / "firma" / "daten", d.path());
  CHECK(contains(box, "Dropbox"));
  CHECK(box.size() == 2);
  // The client's settings folder in a home folder says nothing about folders below it.
  mk(d / "home" / ".dropbox");
  mk(d / "home" / "daten");
  CHECK(clients_under(d / "home" / "daten", d.path()).empty());
  // Syncthing.
  mk(d / "st" / ".stfolder");
  write_file(d / "st" / ".stignore", "*.tmp\n");
  CHECK(clients_under(d / "st", d.path()) == std::vector<std::string>{"Syncthing", "Syncthing"});
  // Resilio: a .sync folder with the share's ID; a bare .sync folder is not enough.
  mk(d / "rs" / ".sync");
  CHECK(clients_under(d / "rs", d.path()).empty());
  write_file(d / "rs" / ".sync" / "ID", "abc");
  CHECK(clients_under(d / "rs", d.path()) == std::vector<std::string>{"Resilio Sync"});
  // OneDrive's desktop.ini, written as Windows does, in UTF-16LE.
  mk(d / "od" / "data");
  std::string ini16;
  for (char c : std::string("[.ShellClassInfo]\r\nIconResource=C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe,-600\r\n")) {
    ini16 += c;
    ini16 += '\0';
  }
  write_file(d / "od" / "desktop.ini", "\xFF\xFE" + ini16);
  CHECK(clients_under(d / "od" / "data", d.path()) == std::vector<std::string>{"OneDrive"});
  // A desktop.ini of another program is no marker.
  mk(d / "plain");
  write_file(d / "plain" / "desktop.ini", "[.ShellClassInfo]\r\nIconResource=shell32.dll,4\r\n");
  CHECK(clients_under(d / "plain", d.path()).empty());
  // Google Drive for desktop, Nextcloud, Seafile.
  mk(d / "gd" / ".tmp.drivedownload");
  CHECK(clients_under(d / "gd", d.path()) == std::vector<std::string>{"Google Drive"});
  mk(d / "nc");
  write_file(d / "nc" / "._sync_1a2b3c4d5e6f.db", "");
  write_file(d / "nc" / ".owncloudsync.log", "");
  CHECK(clients_under(d / "nc", d.path()) == std::vector<std::string>{"Nextcloud/ownCloud", "Nextcloud/ownCloud"});
  mk(d / "sf");
  write_file(d / "sf" / "seafile-ignore.txt", "");
  CHECK(clients_under(d / "sf", d.path()) == std::vector<std::string>{"Seafile"});
  // iCloud by its path, and folder names as weaker hints (the hint says so).
  mk(d / "Library" / "Mobile Documents" / "com~apple~CloudDocs" / "Büro");
  auto ic = clients_under(d / "Library" / "Mobile Documents" / "com~apple~CloudDocs" / "Büro", d.path());
  CHECK(ic == std::vector<std::string>{"iCloud", "iCloud"});
  mk(d / "OneDrive - Müller GmbH" / "Daten");
  auto hint = sync_markers(d / "OneDrive - Müller GmbH" / "Daten");
  REQUIRE(std::count_if(hint.begin(), hint.end(), [](const auto& m) { return m.client == "OneDrive"; }) == 1);
  for (const auto& m : hint)
    if (m.client == "OneDrive") CHECK(has(m.why, "hint"));
}

TEST_CASE("conflicts compares a table with its copy by the candidate key and lists what differs", "[tools]") {
  TempDir d;
  fs::path data = d / "Büro daten";
  fs::create_directories(data);
  // The original and a Dropbox copy: NR 2 deleted in the copy's office, NR 5 entered there,
  // NR 3's memo and NR 4's name changed. The copy's records sit at other record numbers, so
  // only the key pairs them right.
  make_table(data / "rechnung.dbf",
             {row(1, "Alpha", "eins"), row(2, "Beta", "zwei"), row(3, "Gamma", "drei"), row(4, "Delta", "vier")},
             true);
  const std::string copy = "rechnung (Büro-PC's conflicted copy 2024-05-02).dbf";
  make_table(data / copy,
             {row(1, "Alpha", "eins"), row(3, "Gamma", "drei, geändert"), row(4, "Delta GmbH", "vier"),
              row(5, "Épsilon", "fünf")},
             true);
  // The same rows without a key: compared by record number, one record deleted on one side.
  make_table(data / "artikel.dbf", {row(1, "Schraube", ""), row(2, "Mutter", "")}, false);
  make_table(data / "artikel-DESKTOP-7K2.dbf",
             {row(1, "Schraube", ""), row(2, "Mutter M8", ""), row(3, "Scheibe", "")}, false, {1});
  // An identical Syncthing copy.
  make_table(data / "kunden.dbf", {row(1, "Zoë", "")}, true);
  make_table(data / "kunden.sync-conflict-20240502-101112-ABCDEF7.dbf", {row(1, "Zoë", "")}, true);
  // Other files: a Google Drive copy of a text file, and names that must not be flagged.
  write_file(data / "notes.txt", "a");
  write_file(data / "notes (1).txt", "b");
  for (const char* n : {"invoice (1) draft.dbf", "report-2024.dbf", "Q3 2.dbf", "price-list.dbf", "price.dbf"})
    write_file(data / n, "not a table");

  auto r = run_xbase(d, {"conflicts", data.string()});
  INFO(r.out << r.err);
  CHECK(r.rc == 1);
  CHECK(r.err.empty());  // no progress line when stderr is not a terminal
  // Every file of the three tables (dbf, memo, index), and the text file.
  CHECK(has(r.out, "9 conflict copies:"));
  CHECK(has(r.out, "  rechnung (Büro-PC's conflicted copy 2024-05-02).dbf\n"
                   "    Dropbox conflict copy of rechnung.dbf (Büro-PC, 2024-05-02)\n"
                   "    compared by the candidate tag NR (key NR): 4 records in the original, 4 in the copy\n"
                   "    only in the copy: 1, only in the original: 1, changed: 2\n"
                   "      only in the copy:     NR=5 (record 4): NR=5, NAME=\"Épsilon\", NOTE=\"fünf\"\n"
                   "      only in the original: NR=2 (record 2): NR=2, NAME=\"Beta\", NOTE=\"zwei\"\n"
                   "      changed NR=3 (record 3 / 2):\n"
                   "        NOTE: \"drei\" -> \"drei, geändert\"\n"
                   "      changed NR=4 (record 4 / 3):\n"
                   "        NAME: \"Delta\" -> \"Delta GmbH\"\n"));
  CHECK(has(r.out, "  rechnung (Büro-PC's conflicted copy 2024-05-02).fpt\n    Dropbox conflict copy of rechnung.fpt"));
  CHECK(has(r.out, "  rechnung (Büro-PC's conflicted copy 2024-05-02).cdx\n    Dropbox conflict copy of rechnung.cdx"));
  CHECK(has(r.out, "  artikel-DESKTOP-7K2.dbf\n"
                   "    OneDrive conflict copy of artikel.dbf (DESKTOP-7K2)\n"
                   "    compared by record number: 2 records in the original, 3 in the copy\n"
                   "    only in the copy: 1, only in the original: 0, changed: 2\n"
                   "      only in the copy:     record 3: NR=3, NAME=\"Scheibe\"\n"
                   "      changed record 1:\n"
                   "        deleted: no -> yes\n"
                   "      changed record 2:\n"
                   "        NAME: \"Mutter\" -> \"Mutter M8\"\n"));
  CHECK(has(r.out, "  kunden.sync-conflict-20240502-101112-ABCDEF7.dbf\n"
                   "    Syncthing conflict copy of kunden.dbf (ABCDEF7, 2024-05-02T10:11:12)\n"
                   "    compared by the candidate tag NR (key NR): 1 records in the original, 1 in the copy\n"
                   "    same records, same values\n"));
  CHECK(has(r.out, "  notes (1).txt\n    Google Drive conflict copy of notes.txt\n"));
  for (const char* n : {"invoice (1) draft.dbf", "report-2024.dbf", "Q3 2.dbf", "price-list.dbf"})
    CHECK_FALSE(has(r.out, n));

  // --limit cuts the lists, not the counts.
  auto lim = run_xbase(d, {"conflicts", data.string(), "--limit", "1"});
  CHECK(has(lim.out, "only in the copy: 1, only in the original: 1, changed: 2"));
  CHECK(has(lim.out, "      … 1 more changed\n"));

  // The same in JSON.
  auto js = run_xbase(d, {"conflicts", data.string(), "--json"});
  CHECK(js.rc == 1);
  json::Node doc = json::parse(js.out);
  const json::Node* list = doc.find("conflicts");
  REQUIRE(list);
  REQUIRE(list->items.size() == 9);
  CHECK(doc.find("sync_markers")->items.empty());
  CHECK(doc.find("warning")->type == json::Node::Type::null);
  const json::Node* dbx = nullptr;
  for (const auto& c : list->items)
    if (c.find("name")->s == copy) dbx = &c;
  REQUIRE(dbx);
  CHECK(dbx->find("client")->s == "Dropbox");
  CHECK(dbx->find("original")->s == "rechnung.dbf");
  CHECK(dbx->find("original_exists")->b);
  CHECK(dbx->find("detail")->s == "Büro-PC");
  CHECK(dbx->find("date")->s == "2024-05-02");
  const json::Node* cmp = dbx->find("comparison");
  REQUIRE(cmp);
  CHECK(cmp->find("by")->s == "key");
  CHECK(cmp->find("tag")->s == "NR");
  CHECK(cmp->find("same")->s == "1");
  CHECK(cmp->find("only_in_copy")->find("count")->s == "1");
  const json::Node& only = cmp->find("only_in_copy")->find("records")->items.at(0);
  CHECK(only.find("key")->s == "NR=5");
  CHECK(only.find("recno_copy")->s == "4");
  CHECK(only.find("recno_original")->type == json::Node::Type::null);
  CHECK(only.find("values")->find("NAME")->s == "Épsilon");
  const json::Node& ch = cmp->find("changed")->find("records")->items.at(0);
  CHECK(ch.find("key")->s == "NR=3");
  const json::Node& f = ch.find("fields")->items.at(0);
  CHECK(f.find("field")->s == "NOTE");
  CHECK(f.find("original")->s == "drei");
  CHECK(f.find("copy")->s == "drei, geändert");
  for (const auto& c : list->items) {
    if (c.find("name")->s != "artikel-DESKTOP-7K2.dbf") continue;
    CHECK(c.find("comparison")->find("by")->s == "recno");
    CHECK(c.find("comparison")->find("changed")->find("records")->items.at(0).find("deleted_copy")->b);
  }
}

TEST_CASE("conflicts reports a synchronised folder, searches subfolders, and exits 0 or 2", "[tools]") {
  TempDir d;
  fs::path data = d / "data";
  fs::create_directories(data / "2024");
  make_table(data / "kunden.dbf", {row(1, "Zoë", "")}, true);
  // A clean folder: nothing to say, exit 0.
  auto clean = run_xbase(d, {"conflicts", data.string()});
  INFO(clean.out << clean.err);
  CHECK(clean.rc == 0);
  CHECK(clean.out == "no conflict copies and no sync client markers in " + data.string() + "\n");
  auto cj = run_xbase(d, {"conflicts", data.string(), "--json"});
  CHECK(cj.rc == 0);
  CHECK(json::parse(cj.out).find("conflicts")->items.empty());

  // A copy in a subfolder is found with --recursive only; the original missing is said.
  make_table(data / "2024" / "rechnung (conflicted copy 2024-05-02).dbf", {row(1, "x", "")}, false);
  CHECK(run_xbase(d, {"conflicts", data.string()}).rc == 0);
  auto rec = run_xbase(d, {"conflicts", data.string(), "--recursive"});
  CHECK(rec.rc == 1);
  CHECK(has(rec.out, "2024/rechnung (conflicted copy 2024-05-02).dbf\n"
                     "    Dropbox conflict copy of rechnung.dbf (2024-05-02); the original is not there\n"));

  // Inside a Syncthing folder: the marker, and why that is unsafe.
  fs::create_directories(d / ".stfolder");
  auto st = run_xbase(d, {"conflicts", data.string()});
  CHECK(st.rc == 1);
  CHECK(has(st.out, "is synchronised by a cloud-sync client:\n  Syncthing"));
  CHECK(has(st.out, "byte-range locks do not travel"));
  CHECK(has(st.out, "no conflict copies found"));
  auto sj = json::parse(run_xbase(d, {"conflicts", data.string(), "--json"}).out);
  REQUIRE(sj.find("sync_markers")->items.size() == 1);
  CHECK(sj.find("sync_markers")->items[0].find("client")->s == "Syncthing");
  CHECK(has(sj.find("warning")->s, "duplicate") == false);
  CHECK(has(sj.find("warning")->s, "same number"));

  // Only the DBF conflicted (its memo file did not): memo fields are left out and said so.
  // A copy that is no table is listed with the reason it was not compared.
  fs::remove(d / ".stfolder");
  make_table(data / "kunden-PC01.dbf", {row(1, "Zoë B.", "x")}, false);
  fs::remove(data / "kunden-PC01.fpt");
  write_file(data / "kunden (1).dbf", "garbage");
  auto part = run_xbase(d, {"conflicts", data.string()});
  CHECK(part.rc == 1);
  CHECK(has(part.out, "  kunden-PC01.dbf\n    OneDrive conflict copy of kunden.dbf (PC01)\n"));
  CHECK(has(part.out, "    note: the copy's memo file is missing: memo fields are not compared\n"));
  CHECK(has(part.out, "        NAME: \"Zoë\" -> \"Zoë B.\"\n"));
  CHECK_FALSE(has(part.out, "NOTE:"));
  CHECK(has(part.out, "  kunden (1).dbf\n    Google Drive conflict copy of kunden.dbf\n    not compared: "));

  // Could not run: exit 2.
  CHECK(run_xbase(d, {"conflicts", (d / "missing").string()}).rc == 2);
  CHECK(run_xbase(d, {"conflicts", (data / "kunden.dbf").string()}).rc == 2);
  CHECK(run_xbase(d, {"conflicts"}).rc == 2);
  CHECK(run_xbase(d, {"conflicts", data.string(), "--limit", "x"}).rc == 2);
  CHECK(run_xbase(d, {"conflicts", data.string(), "--bogus"}).rc == 2);
}
