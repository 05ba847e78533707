// `invoicing deliver` on a real data folder and real target folders: several targets (a local
// one and a UNC share through its mount point), hostile company values, each file exactly once
// across runs, --force, a target that is missing and one taken away in the middle of a batch.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "../app/small_company.h"
#include "store/company.h"
#include "store/deliveries.h"
#include "store/dictionary.h"

using invoicing::test::SmallCompany;
using xbase::test::read_file;
namespace fs = std::filesystem;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Every regular file below `dir` (relative names).
std::set<std::string> files_below(const fs::path& dir) {
  std::set<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.insert(fs::relative(e.path(), dir).string());
  return out;
}

// A complete delivered file: the whole e-invoice (its closing tag) or the whole PDF (%%EOF).
bool complete(const fs::path& p) {
  const std::string b = read_file(p);
  if (p.extension() == ".xml") return has(b, "</Invoice>") || has(b, "</CreditNote>");
  return b.rfind("%PDF", 0) == 0 && has(b.substr(b.size() > 64 ? b.size() - 64 : 0), "%%EOF");
}

// The deliveries recorded in the data folder, as (document, target, kind) -> how many times.
std::map<std::tuple<int, std::string, std::string>, int> recorded(
    const SmallCompany& co, int last_doc, std::map<std::string, std::string>* sha = nullptr) {
  invoicing::store::OpenOptions o;
  o.who = {"test", "TEST"};
  o.take_seat = false;
  auto c = invoicing::store::Company::open(co.data(), o);
  std::map<std::tuple<int, std::string, std::string>, int> out;
  for (int id = 1; id <= last_doc; ++id)
    for (const auto& d : invoicing::store::deliveries_of(*c, id)) {
      ++out[{id, d.target, d.kind}];
      if (sha) (*sha)[d.file] = d.sha256;
    }
  return out;
}

nlohmann::json deliver_json(const SmallCompany& co, std::vector<std::string> extra = {},
                            int want_rc = 0) {
  std::vector<std::string> args = {"deliver", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = co.run(args);
  INFO(r.out << r.err);
  REQUIRE(r.rc == want_rc);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE(
    "deliver: two targets get each final invoice and credit note once, with hostile company values",
    "[delivery]") {
  SmallCompany co;
  const fs::path acc = co / "acc", mnt = co / "mnt-server-winbooks";
  fs::create_directories(acc);
  fs::create_directories(mnt / "Data");
  REQUIRE(co.run({"company", "set", "--name", "Café \"De Gouden Leeuw\" BV / Sint-Niklaas"}).rc ==
          0);
  REQUIRE(co.run({"setting", "accounting_file_id", "../2026:17"}).rc == 0);
  REQUIRE(co.run({"deliver", "mount", "add", "\\\\SERVER\\Winbooks", mnt.string(), "--local"}).rc ==
          0);
  REQUIRE(
      co.run({"deliver", "target", "add", "local", "--sales",
              (acc / "[enterprise_name]" / "[accounting_file_id]" / "sales").string(), "--purchase",
              (acc / "[enterprise_name]" / "[accounting_file_id]" / "purchase").string()})
          .rc == 0);
  REQUIRE(co.run({"deliver", "target", "add", "winbooks", "--sales",
                  "\\\\server\\WINBOOKS\\Data\\[enterprise_identifier]\\inbound", "--purchase",
                  "\\\\server\\WINBOOKS\\Data\\[enterprise_identifier]\\outbound", "--pdf"})
              .rc == 0);
  auto list = co.run({"deliver", "target", "list", "--json"});
  REQUIRE(list.rc == 0);
  CHECK(nlohmann::json::parse(list.out).size() == 2);

  const int inv1 = co.invoice("DUPONT", "LAMP", "2");
  const int inv2 = co.invoice("BAKKER", "LAMP", "5");
  auto cn = co.run({"doc", "credit", std::to_string(inv1), "--finalize", "--json"});
  REQUIRE(cn.rc == 0);
  REQUIRE(co.run({"doc", "new", "--type", "invoice", "--party", "DUPONT"}).rc ==
          0);  // a draft: not delivered

  auto first = deliver_json(co);
  CHECK(first["failures"].empty());
  CHECK(first["delivered"].size() ==
        3 + 6);  // local: the e-invoices; winbooks: e-invoices and PDFs
  const fs::path local_dir =
      acc / "Café _De Gouden Leeuw_ BV _ Sint-Niklaas" / "___2026_17" / "sales";
  const fs::path wb_dir = mnt / "Data" / "BE0477472701" / "inbound";
  CHECK(files_below(acc) ==
        std::set<std::string>{
            "Café _De Gouden Leeuw_ BV _ Sint-Niklaas/___2026_17/sales/credit-note-2026-0001.xml",
            "Café _De Gouden Leeuw_ BV _ Sint-Niklaas/___2026_17/sales/invoice-2026-0001.xml",
            "Café _De Gouden Leeuw_ BV _ Sint-Niklaas/___2026_17/sales/invoice-2026-0002.xml"});
  CHECK(files_below(wb_dir).size() == 6);
  // The e-invoice carries its PDF; what was recorded is what is on the target.
  CHECK(has(read_file(local_dir / "invoice-2026-0001.xml"), "EmbeddedDocumentBinaryObject"));
  std::map<std::string, std::string> sha;
  const auto rec = recorded(co, 10, &sha);
  CHECK(rec.size() == 9);
  for (const auto& [k, n] : rec) CHECK(n == 1);
  for (const auto& d : first["delivered"]) {
    const fs::path f = d["file"].get<std::string>();
    CHECK(complete(f));
    CHECK(sha[f.string()] == d["sha256"].get<std::string>());
  }

  // Nothing twice: a second run delivers nothing.
  auto again = deliver_json(co);
  CHECK(again["delivered"].empty());
  CHECK(again["waiting"] == 0);

  // --force delivers one document again, to every target; a new invoice goes out on the next run.
  auto forced = deliver_json(co, {"--force", std::to_string(inv2)});
  CHECK(forced["delivered"].size() == 3);
  for (const auto& d : forced["delivered"]) CHECK(d["id"] == inv2);
  const int inv3 = co.invoice("DUPONT", "LAMP", "7");
  auto next = deliver_json(co, {"--once"});
  CHECK(next["delivered"].size() == 3);
  for (const auto& d : next["delivered"]) CHECK(d["id"] == inv3);
  CHECK(files_below(wb_dir).size() == 8);

  // --since leaves earlier documents alone; --force of a draft is refused.
  CHECK(deliver_json(co, {"--since", "2099-01-01"})["delivered"].empty());
  auto draft = co.run({"deliver", "--force", "4"});
  CHECK(draft.rc == 1);
  CHECK(has(draft.err, "document 4 is no final invoice or credit note"));

  // The log names every delivery.
  const std::string log = read_file(co.data() / "logs" / "delivery.log");
  CHECK(has(log, "(XML) to local: " + (local_dir / "invoice-2026-0001.xml").string()));
  CHECK(has(log, "(PDF) to winbooks: " + (wb_dir / "invoice-2026-0002.pdf").string()));
}

TEST_CASE(
    "deliver: templates that would leave their root and bad options are refused, nothing stored",
    "[delivery]") {
  SmallCompany co;
  const auto refused = [&](std::vector<std::string> args, int rc, const std::string& why) {
    auto r = co.run(args);
    INFO(r.err);
    CHECK(r.rc == rc);
    CHECK(has(r.err, why));
  };
  const std::string ok = (co / "acc" / "[enterprise_name]").string();
  refused({"deliver", "target", "add", "x", "--sales",
           (co / "acc" / ".." / "[enterprise_name]").string(), "--purchase", ok},
          1, "a template stays inside its root");
  refused({"deliver", "target", "add", "x", "--sales", "C:\\Winbooks\\[enterprise_name]",
           "--purchase", ok},
          1, "drive letter");
  refused({"deliver", "target", "add", "x", "--sales", ok + "/[vat]", "--purchase", ok}, 1,
          "[vat]");
  refused({"deliver", "target", "add", "x", "--sales", "/[enterprise_name]", "--purchase", ok}, 1,
          "root would be /");
  refused({"deliver", "target", "add", "../x", "--sales", ok, "--purchase", ok}, 1,
          "a target's name");
  refused({"deliver", "target", "add", "x", "--sales", ok}, 2, "--purchase TEMPLATE");
  refused(
      {"deliver", "target", "add", "x", "--sales", ok, "--purchase", ok, "--since", "2026-01-01"},
      2, "--since");
  refused({"deliver", "--watch", "--once"}, 2, "exclude each other");
  refused({"deliver", "--since", "2026-02-30"}, 2, "--since");
  refused({"deliver", "mount", "add", "SERVER\\Share", "/mnt/x"}, 1, "not a share name");
  refused({"deliver"}, 1, "no delivery target");
  auto list = co.run({"deliver", "target", "list", "--json"});
  CHECK(list.out == "[]\n");
  CHECK(co.run({"deliver", "--help"}).out.find("deliver target add NAME") != std::string::npos);

  // A company value that leaves nothing usable refuses the run for that target, naming it.
  REQUIRE(co.run({"deliver", "target", "add", "files", "--sales",
                  (co / "acc" / "[accounting_file_id]").string(), "--purchase", ok})
              .rc == 0);
  fs::create_directories(co / "acc");
  co.invoice("DUPONT", "LAMP", "1");
  auto r = co.run({"deliver"});
  CHECK(r.rc == 1);
  CHECK(has(r.out, "[accounting_file_id] is empty"));
  CHECK(files_below(co / "acc").empty());
  REQUIRE(co.run({"setting", "accounting_file_id", ".."}).rc == 0);
  CHECK(co.run({"deliver"}).rc == 1);
  CHECK(files_below(co / "acc").empty());
  CHECK(recorded(co, 5).empty());
  REQUIRE(co.run({"deliver", "target", "remove", "files"}).rc == 0);
  CHECK(co.run({"deliver", "target", "remove", "files"}).rc == 1);
}

TEST_CASE("deliver: a symbolic link below the root does not lead the files out of it",
          "[delivery]") {
  SmallCompany co;
  fs::create_directories(co / "acc");
  fs::create_directories(co / "elsewhere");
  fs::create_directory_symlink(co / "elsewhere", co / "acc" / "BE0477472701");
  REQUIRE(co.run({"deliver", "target", "add", "t", "--sales",
                  (co / "acc" / "[enterprise_identifier]").string(), "--purchase",
                  (co / "acc" / "p").string()})
              .rc == 0);
  co.invoice("DUPONT", "LAMP", "1");
  auto r = co.run({"deliver"});
  CHECK(r.rc == 1);
  CHECK(has(r.out, "leads out of the target's root"));
  CHECK(files_below(co / "elsewhere").empty());
  CHECK(recorded(co, 3).empty());
}

// A bind mount standing in for the share's mount, taken away again whatever the test does.
struct BindMount {
  fs::path from, at;
  bool on = false;
  bool mount() {
    return on = std::system(("mount --bind " + xbase::test::shell_quote(from.string()) + " " +
                             xbase::test::shell_quote(at.string()))
                                .c_str()) == 0;
  }
  void umount() {
    if (on) REQUIRE(std::system(("umount " + xbase::test::shell_quote(at.string())).c_str()) == 0);
    on = false;
  }
  ~BindMount() {
    if (on) std::system(("umount " + xbase::test::shell_quote(at.string())).c_str());
  }
};

TEST_CASE(
    "deliver: a target taken away in the middle of a batch gets each document once, never a "
    "partial file",
    "[delivery]") {
  // Variants: the share unmounted (as root: a real mount, taken away), the mount point's folder
  // removed, and (as another user than root, whom modes do not stop) the folder made read-only.
  std::vector<std::string> variants = {"removed"};
  if (::geteuid() == 0)
    variants.push_back("unmounted");
  else
    variants.push_back("read-only");
  for (const auto& how : variants) {
    SECTION(how) {
      SmallCompany co;
      const fs::path mnt = co / "mnt-acc";  // where \\NAS\Boekhouding is reached
      const fs::path backing = co / "nas-disk", away = co / "gone";
      fs::create_directories(mnt);
      fs::create_directories(backing);
      BindMount share{backing, mnt};
      if (how == "unmounted") REQUIRE(share.mount());
      std::vector<std::string> add = {"deliver", "mount", "add", "\\\\NAS\\Boekhouding",
                                      mnt.string()};
      if (how != "unmounted") add.push_back("--local");
      REQUIRE(co.run(add).rc == 0);
      REQUIRE(co.run({"deliver", "target", "add", "nas", "--sales",
                      "\\\\NAS\\Boekhouding\\[enterprise_identifier]\\in", "--purchase",
                      "\\\\NAS\\Boekhouding\\[enterprise_identifier]\\out", "--pdf"})
                  .rc == 0);
      for (int i = 0; i < 4; ++i)
        co.invoice(i % 2 ? "BAKKER" : "DUPONT", "LAMP", std::to_string(i + 1));
      const fs::path in = mnt / "BE0477472701" / "in";

      const fs::path marker = co / "paused";
      xbase::test::RunResult run;
      std::thread t([&] {
        run = xbase::test::run_program(
            INVOICING_TOOL, {"deliver", "--json", "--data", co.data().string()}, co.dir().path(),
            "XDG_CONFIG_HOME=" + xbase::test::shell_quote((co / "config").string()) +
                " INVOICING_TEST_DELIVERY_PAUSE=" +
                xbase::test::shell_quote("3:" + marker.string()));
      });
      for (int i = 0; i < 1500 && !fs::exists(marker); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      const bool paused = fs::exists(marker);
      if (paused) {
        if (how == "removed")
          fs::rename(mnt, away);
        else if (how == "unmounted")
          share.umount();
        else
          ::chmod(in.c_str(), 0555);
        fs::remove(marker);
      }
      t.join();
      REQUIRE(paused);
      INFO(run.out << run.err);
      CHECK(run.rc == 1);
      auto j = nlohmann::json::parse(run.out);
      CHECK(j["delivered"].size() == 3);
      REQUIRE(j["failures"].size() == 1);
      CHECK(j["waiting"] == 3);  // the document whose PDF is missing, and the two after it
      const std::string failure = j["failures"][0].get<std::string>();
      if (how == "removed") {
        CHECK(has(failure, "cannot be reached: its folder"));
        // What reached the share before it went: complete, and nothing else (no temp file).
        const auto there = files_below(away);
        CHECK(there.size() == 3);
        for (const auto& f : there) CHECK(complete(away / f));
        fs::rename(away, mnt);  // the share is back
      } else if (how == "unmounted") {
        CHECK(has(failure, "\\\\NAS\\Boekhouding is not mounted at"));
        CHECK(files_below(mnt).empty());  // nothing on the local disk under the mount point
        CHECK(files_below(backing).size() == 3);
        // Not mounted: the next run writes nothing either, and says so.
        auto down = co.run({"deliver"});
        CHECK(down.rc == 1);
        CHECK(has(down.out, "is not mounted"));
        CHECK(files_below(mnt).empty());
        REQUIRE(share.mount());
      } else {
        CHECK(has(failure, "cannot be written"));
        CHECK(files_below(in).size() == 3);
        ::chmod(in.c_str(), 0755);
      }
      CHECK(recorded(co, 4).size() == 3);

      auto rest = deliver_json(co);
      CHECK(rest["delivered"].size() == 5);
      CHECK(deliver_json(co)["delivered"].empty());
      std::map<std::string, std::string> sha;
      const auto rec = recorded(co, 4, &sha);
      CHECK(rec.size() == 8);  // 4 documents x (XML, PDF)
      for (const auto& [k, n] : rec) CHECK(n == 1);
      const auto files = files_below(in);
      CHECK(files.size() == 8);
      for (const auto& f : files) {
        INFO(f);
        CHECK(f.find(".tmp-") == std::string::npos);
        CHECK(complete(in / f));
        CHECK(sha.count((in / f).string()) == 1);
      }
      const std::string log = read_file(co.data() / "logs" / "delivery.log");
      CHECK(has(log, "FAILED target nas"));
      share.umount();
    }
  }
}

TEST_CASE(
    "deliver: a file of ours whose record was lost is recorded and not written again but another "
    "file is kept",
    "[delivery]") {
  SmallCompany co;
  const fs::path acc = co / "acc";
  fs::create_directories(acc);
  REQUIRE(co.run({"deliver", "target", "add", "t", "--sales",
                  (acc / "[enterprise_identifier]").string(), "--purchase", (acc / "p").string()})
              .rc == 0);
  co.invoice("DUPONT", "LAMP", "1");
  co.invoice("DUPONT", "LAMP", "2");
  // invoice 1 as `doc ubl` writes it is byte for byte what a delivery writes; invoice 2's name
  // holds someone else's file.
  fs::create_directories(acc / "BE0477472701");
  REQUIRE(co.run({"doc", "ubl", "1", "--out",
                  (acc / "BE0477472701" / "invoice-2026-0001.xml").string()})
              .rc == 0);
  const auto before = fs::last_write_time(acc / "BE0477472701" / "invoice-2026-0001.xml");
  xbase::test::write_file(acc / "BE0477472701" / "invoice-2026-0002.xml", "not ours");
  auto r = co.run({"deliver", "--json"});
  CHECK(r.rc == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["delivered"].size() == 1);
  CHECK(fs::last_write_time(acc / "BE0477472701" / "invoice-2026-0001.xml") == before);
  CHECK(has(j["failures"][0].get<std::string>(), "exists with other content"));
  CHECK(read_file(acc / "BE0477472701" / "invoice-2026-0002.xml") == "not ours");
  // --force replaces it.
  CHECK(deliver_json(co, {"--force", "2"})["delivered"].size() == 1);
  CHECK(complete(acc / "BE0477472701" / "invoice-2026-0002.xml"));
}

TEST_CASE("deliver: the log is rotated at delivery_log_kb, five kept", "[delivery]") {
  SmallCompany co;
  fs::create_directories(co / "acc");
  REQUIRE(co.run({"setting", "delivery_log_kb", "1"}).rc == 0);
  for (std::string t : {"t1", "t2", "t3"}) {
    fs::create_directories(co / "acc" / t);
    REQUIRE(co.run({"deliver", "target", "add", t, "--sales",
                    (co / "acc" / t / "[enterprise_identifier]").string(), "--purchase",
                    (co / "acc" / "p").string(), "--pdf"})
                .rc == 0);
  }
  const int id = co.invoice("DUPONT", "LAMP", "1");
  // 6 lines of about 350 bytes a run: each run starts a new log.
  for (int i = 0; i < 7; ++i) deliver_json(co, {"--force", std::to_string(id)});
  const fs::path logs = co.data() / "logs";
  CHECK(fs::exists(logs / "delivery.log"));
  for (int n = 1; n <= 5; ++n) CHECK(fs::exists(logs / ("delivery.log." + std::to_string(n))));
  CHECK(!fs::exists(logs / "delivery.log.6"));
  CHECK(fs::file_size(logs / "delivery.log.1") < 3072);
  CHECK(has(read_file(logs / "delivery.log.5"), "(PDF) to t3"));
}

TEST_CASE("deliver --watch picks up a newly finalized invoice within seconds and stops on SIGTERM",
          "[delivery]") {
  SmallCompany co;
  fs::create_directories(co / "acc");
  REQUIRE(co.run({"deliver", "target", "add", "t", "--sales",
                  (co / "acc" / "[enterprise_identifier]").string(), "--purchase",
                  (co / "acc" / "p").string()})
              .rc == 0);
  co.invoice("DUPONT", "LAMP", "1");
  const fs::path pidfile = co / "watch.pid";
  // In the background as the service runs it; its pid to stop it as systemd does.
  REQUIRE(std::system(("XDG_CONFIG_HOME=" + xbase::test::shell_quote((co / "config").string()) +
                       " " + xbase::test::shell_quote(INVOICING_TOOL) +
                       " deliver --watch --interval 1 --data " +
                       xbase::test::shell_quote(co.data().string()) + " >" +
                       xbase::test::shell_quote((co / "watch.out").string()) + " 2>&1 & echo $! >" +
                       xbase::test::shell_quote(pidfile.string()))
                          .c_str()) == 0);
  const pid_t pid = std::stoi(read_file(pidfile));
  const fs::path dir = co / "acc" / "BE0477472701";
  const auto wait_for = [&](size_t n) {
    for (int i = 0; i < 300 && files_below(dir).size() < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return files_below(dir).size();
  };
  CHECK(wait_for(1) == 1);
  co.invoice("BAKKER", "LAMP", "2");  // while it watches
  CHECK(wait_for(2) == 2);
  REQUIRE(::kill(pid, SIGTERM) == 0);
  for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(::kill(pid, 0) != 0);  // gone
  const auto rec = recorded(co, 5);
  CHECK(rec.size() == 2);
  for (const auto& [k, n] : rec) CHECK(n == 1);
  INFO(read_file(co / "watch.out"));
  CHECK(has(read_file(co / "watch.out"), "invoice-2026-0002.xml"));
}

TEST_CASE("deliver: a data folder of schema 3 is upgraded to the DELIVERY table and delivers",
          "[delivery]") {
  xbase::test::TempDir d;
  const std::string env = "XDG_CONFIG_HOME=" + xbase::test::shell_quote((d / "config").string());
  const auto run = [&](std::vector<std::string> args) {
    args.push_back("--data");
    args.push_back((d / "firma").string());
    return xbase::test::run_program(INVOICING_TOOL, args, d.path(), env);
  };
  REQUIRE(xbase::test::run_program(INVOICING_TOOL,
                                   {"init", (d / "firma").string(), "--schema", "3"}, d.path(), env)
              .rc == 0);
  CHECK(invoicing::store::Company::schema_version_of(d / "firma") == 3);
  CHECK(!fs::exists(d / "firma" / "DELIVERY.DBF"));
  auto add =
      run({"deliver", "target", "add", "t", "--sales", (d / "acc" / "[enterprise_name]").string(),
           "--purchase", (d / "acc" / "p").string()});
  INFO(add.err);
  CHECK(add.rc == 0);
  CHECK(has(add.err, fmt::format("upgraded from schema version 3 to {}", invoicing::store::kSchemaVersion)));
  CHECK(invoicing::store::Company::schema_version_of(d / "firma") == invoicing::store::kSchemaVersion);
  CHECK(fs::exists(d / "firma" / "DELIVERY.DBF"));
  auto none = run({"deliver", "--json"});
  CHECK(none.rc == 0);  // no document yet: nothing to deliver, nothing failed
  CHECK(run({"verify"}).rc == 0);
}

TEST_CASE("deliver: a second run while one is delivering is refused and delivers nothing",
          "[delivery]") {
  SmallCompany co;
  fs::create_directories(co / "acc");
  REQUIRE(co.run({"deliver", "target", "add", "t", "--sales",
                  (co / "acc" / "[enterprise_identifier]").string(), "--purchase",
                  (co / "acc" / "p").string(), "--pdf"})
              .rc == 0);
  co.invoice("DUPONT", "LAMP", "1");
  const fs::path marker = co / "paused";
  xbase::test::RunResult first;
  std::thread t([&] {
    first = xbase::test::run_program(
        INVOICING_TOOL, {"deliver", "--json", "--data", co.data().string()}, co.dir().path(),
        "XDG_CONFIG_HOME=" + xbase::test::shell_quote((co / "config").string()) +
            " INVOICING_TEST_DELIVERY_PAUSE=" + xbase::test::shell_quote("1:" + marker.string()));
  });
  for (int i = 0; i < 1500 && !fs::exists(marker); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const bool paused = fs::exists(marker);
  xbase::test::RunResult second;
  if (paused) {
    second = co.run({"deliver", "--json"});
    fs::remove(marker);
  }
  t.join();
  REQUIRE(paused);
  CHECK(second.rc == 1);
  CHECK(has(second.err, "another `invoicing deliver` is running"));
  CHECK(first.rc == 0);
  CHECK(nlohmann::json::parse(first.out)["delivered"].size() == 2);
  const auto rec = recorded(co, 3);
  CHECK(rec.size() == 2);
  for (const auto& [k, n] : rec) CHECK(n == 1);
}

TEST_CASE("deliver --export-log collects the logs, the configuration and the record for support",
          "[delivery]") {
  SmallCompany co;
  fs::create_directories(co / "acc");
  REQUIRE(co.run({"deliver", "target", "add", "t", "--sales",
                  (co / "acc" / "[enterprise_identifier]").string(), "--purchase",
                  (co / "acc" / "p").string()})
              .rc == 0);
  REQUIRE(co.run({"deliver", "mount", "add", "\\\\NAS\\Gone", (co / "not-mounted").string()}).rc ==
          0);
  co.invoice("DUPONT", "LAMP", "1");
  REQUIRE(co.run({"deliver"}).rc == 0);
  const fs::path zip = co / "support.zip";
  auto r = co.run({"deliver", "--export-log", zip.string()});
  INFO(r.err);
  REQUIRE(r.rc == 0);
  auto list = xbase::test::run_program("unzip", {"-Z1", zip.string()}, co.dir().path());
  CHECK(list.out == "configuration.txt\ndeliveries.csv\nlogs/delivery.log\n");
  auto conf =
      xbase::test::run_program("unzip", {"-p", zip.string(), "configuration.txt"}, co.dir().path());
  CHECK(has(conf.out, "[enterprise_identifier] = \"BE0477472701\""));
  CHECK(has(conf.out, "-> " + (co / "acc" / "BE0477472701").string() + " (root"));
  CHECK(has(conf.out, "\\\\nas\\gone -> " + (co / "not-mounted").string() + " (NOT mounted)"));
  auto csv =
      xbase::test::run_program("unzip", {"-p", zip.string(), "deliveries.csv"}, co.dir().path());
  CHECK(has(csv.out,
            "1;t;XML;\"" + (co / "acc" / "BE0477472701" / "invoice-2026-0001.xml").string()));
  CHECK(co.run({"deliver", "--export-log", zip.string(), "--once"}).rc == 2);
}

TEST_CASE("deliver --watch backs off from an unreachable target and keeps serving the others",
          "[delivery]") {
  SmallCompany co;
  fs::create_directories(co / "up" / "s");  // a template without variables: its root is the folder
  REQUIRE(co.run({"deliver", "target", "add", "up", "--sales", (co / "up" / "s").string(), "--purchase",
                  (co / "up" / "p").string()})
              .rc == 0);
  // Its root is missing: a share that is not mounted.
  REQUIRE(co.run({"deliver", "target", "add", "down", "--sales", (co / "down" / "s").string(), "--purchase",
                  (co / "down" / "p").string()})
              .rc == 0);
  co.invoice("DUPONT", "LAMP", "1");
  const fs::path pidfile = co / "watch.pid", out = co / "watch.out";
  REQUIRE(std::system(("XDG_CONFIG_HOME=" + xbase::test::shell_quote((co / "config").string()) + " " +
                       xbase::test::shell_quote(INVOICING_TOOL) + " deliver --watch --interval 1 --data " +
                       xbase::test::shell_quote(co.data().string()) + " >" + xbase::test::shell_quote(out.string()) +
                       " 2>&1 & echo $! >" + xbase::test::shell_quote(pidfile.string()))
                          .c_str()) == 0);
  const pid_t pid = std::stoi(read_file(pidfile));
  const auto wait_for = [&](const fs::path& dir, size_t n, int seconds) {
    for (int i = 0; i < seconds * 20 && files_below(dir).size() < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return files_below(dir).size();
  };
  CHECK(wait_for(co / "up", 1, 15) == 1);
  co.invoice("BAKKER", "LAMP", "2");  // the reachable target gets it at its next pass
  CHECK(wait_for(co / "up", 2, 15) == 2);
  std::this_thread::sleep_for(std::chrono::seconds(4));
  // About 6 passes so far; the unreachable target was tried after 0, 2 and 4 more seconds at most.
  const auto count = [&](const std::string& what) {
    const std::string text = read_file(out);
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  INFO(read_file(out));
  CHECK(count("target down cannot be reached") >= 1);
  CHECK(count("target down cannot be reached") <= 3);
  CHECK(has(read_file(out), "target down: unreachable 1 time(s) in a row, next try in 2 s"));
  // The share comes back: its documents go out at the next try (within 8 s), once each.
  fs::create_directories(co / "down" / "s");
  CHECK(wait_for(co / "down", 2, 20) == 2);
  REQUIRE(::kill(pid, SIGTERM) == 0);
  for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(::kill(pid, 0) != 0);
  const auto rec = recorded(co, 5);
  CHECK(rec.size() == 4);
  for (const auto& [k, n] : rec) CHECK(n == 1);
}
