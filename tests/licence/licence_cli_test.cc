// The programs as the vendor and a user drive them: licence-issuer keygen|issue|show, and
// invoicing licence install|show, version, --version, the note at every start.

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "licence_test_util.h"
#include "test_util.h"

using namespace xbase::test;
namespace fs = std::filesystem;

namespace {

RunResult run_invoicing(const TempDir& d, const std::vector<std::string>& args) {
  return run_program(INVOICING_TOOL, args, d.path(),
                     "XDG_CONFIG_HOME=" + shell_quote((d / "config").string()));
}

RunResult issuer(const TempDir& d, const std::vector<std::string>& args) {
  return run_program(LICENCE_ISSUER, args, d.path());
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("licence-issuer makes keys and signs licences the program accepts", "[licence]") {
  TempDir d;
  auto k = issuer(d, {"keygen", "--out", (d / "vendor").string()});
  REQUIRE(k.rc == 0);
  struct stat st {};
  REQUIRE(::stat((d / "vendor.secret").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(has(read_file(d / "vendor.pub"), "invoicing-licence-public-key ed25519 "));
  // Never over an existing key.
  const std::string secret = read_file(d / "vendor.secret");
  CHECK(issuer(d, {"keygen", "--out", (d / "vendor").string()}).rc == 1);
  CHECK(read_file(d / "vendor.secret") == secret);

  const std::string key = invoicing::test::test_secret_key_file().string();
  auto i = issuer(
      d, {"issue", "--key", key, "--licensee", "Bakkerij Peeters", "--vat", "BE 0431.115.213",
          "--edition", "pro", "--updates-until", "2099-12-31", "--out", (d / "pro.lic").string()});
  REQUIRE(i.rc == 0);
  const std::string lic = read_file(d / "pro.lic");
  CHECK(has(lic, "vat: BE0431115213\n"));
  CHECK(has(lic, "seats: 10\n"));
  // What the issuer refuses: more seats than the edition has, a bad VAT number, a bad date.
  CHECK(issuer(d, {"issue", "--key", key, "--licensee", "X", "--vat", "BE0431115213", "--edition",
                   "basic", "--seats", "4", "--updates-until", "2099-12-31"})
            .rc == 1);
  CHECK(issuer(d, {"issue", "--key", key, "--licensee", "X", "--vat", "BE0431115212", "--edition",
                   "basic", "--updates-until", "2099-12-31"})
            .rc == 1);
  CHECK(issuer(d, {"issue", "--key", key, "--licensee", "X", "--vat", "BE0431115213", "--edition",
                   "basic", "--updates-until", "2099-13-01"})
            .rc == 2);
  // show: the fields, and whose signature it carries.
  auto good = issuer(d, {"show", (d / "pro.lic").string(), "--pub", INVOICING_TEST_PUBLIC_KEY});
  CHECK(good.rc == 0);
  CHECK(has(good.out, "signature: good"));
  auto other = issuer(d, {"show", (d / "pro.lic").string(), "--pub", (d / "vendor.pub").string()});
  CHECK(other.rc == 1);
  CHECK(has(other.err, "not with"));
}

TEST_CASE("invoicing licence install, show and version: refused licences leave the installed one",
          "[licence]") {
  TempDir d;
  const std::string data = (d / "firma").string();
  const std::string key = invoicing::test::test_secret_key_file().string();
  auto issue = [&](const std::string& file, const std::string& edition, const std::string& until,
                   const std::string& with_key) {
    REQUIRE(issuer(d, {"issue", "--key", with_key, "--licensee", "Bakkerij Peeters", "--vat",
                       "BE0431115213", "--edition", edition, "--updates-until", until, "--out",
                       (d / file).string()})
                .rc == 0);
    return (d / file).string();
  };
  REQUIRE(run_invoicing(d, {"init", data, "--company", "Bakkerij Peeters"}).rc == 0);
  auto v0 = run_invoicing(d, {"version", "--json"});
  REQUIRE(v0.rc == 0);
  CHECK(has(v0.out, "\"state\":\"none\""));
  CHECK(has(v0.out, "\"edition\":\"Free\""));

  auto inst = run_invoicing(d, {"licence", "install", issue("pro.lic", "pro", "2099-12-31", key)});
  REQUIRE(inst.rc == 0);
  CHECK(has(inst.out, "Pro edition, 10 seats"));
  auto v = run_invoicing(d, {"version"});
  CHECK(has(v.out, "edition: Pro, 10 seats"));
  CHECK(has(v.out, "licensee: Bakkerij Peeters (BE0431115213), updates until 2099-12-31"));
  CHECK(has(v.out, "schema version"));
  auto show = run_invoicing(d, {"licence", "show", "--json"});
  CHECK(show.rc == 0);
  CHECK(has(show.out, "\"state\":\"valid\""));
  CHECK(has(show.out, "\"seats\":10"));

  // A licence signed by a key the program does not know is refused, naming the key; the
  // installed licence stays in force.
  REQUIRE(issuer(d, {"keygen", "--out", (d / "foreign").string()}).rc == 0);
  auto foreign = run_invoicing(
      d, {"licence", "install",
          issue("foreign.lic", "full", "2099-12-31", (d / "foreign.secret").string())});
  CHECK(foreign.rc == 1);
  CHECK(has(foreign.err, "signed with a key this program does not know"));
  CHECK(has(run_invoicing(d, {"licence", "show", "--json"}).out, "\"edition\":\"Pro\""));

  // Tampered with in the folder: every command says so on stderr, runs as Free, data readable.
  std::string t = read_file(fs::path(data) / "LICENCE.LIC");
  t.replace(t.find("seats: 10"), 9, "seats: 9 ");
  write_file(fs::path(data) / "LICENCE.LIC", t);
  auto list = run_invoicing(d, {"customer", "list"});
  CHECK(list.rc == 0);
  CHECK(has(list.err, "invoicing: licence: "));
  CHECK(has(list.err, "does not read as a licence"));
  CHECK(run_invoicing(d, {"licence", "show"}).rc == 1);
  CHECK(run_invoicing(d, {"numbering", "mode", "multiuser"}).rc == 1);

  // An update subscription that ended before this program was released: installed (older
  // versions accept it), but this program says why it runs as Free.
  auto old = run_invoicing(d, {"licence", "install", issue("old.lic", "full", "2000-01-31", key)});
  CHECK(old.rc == 0);
  CHECK(has(old.out, "ended on 2000-01-31"));
  CHECK(has(old.out, "run as the Free edition"));
  auto after = run_invoicing(d, {"stock"});
  CHECK(has(after.err, "update subscription"));
  CHECK(has(run_invoicing(d, {"version", "--json"}).out, "\"state\":\"updates-ended\""));

  // Gone: reported as missing, not as "never bought".
  fs::remove(fs::path(data) / "LICENCE.LIC");
  auto gone = run_invoicing(d, {"stock"});
  CHECK(has(gone.err, "is missing"));
  CHECK(has(run_invoicing(d, {"version"}).out, "is missing"));
}

TEST_CASE(
    "both programs print their version with --version, and version works without a data folder",
    "[licence]") {
  TempDir d;
  auto v = run_invoicing(d, {"--version"});
  CHECK(v.rc == 0);
  CHECK(v.out.rfind("invoicing ", 0) == 0);
  auto x = run_program(XBASE_TOOL, {"--version"}, d.path());
  CHECK(x.rc == 0);
  CHECK(x.out.rfind("xbase ", 0) == 0);
  // The same version number in both.
  CHECK(v.out.substr(10) == x.out.substr(6));
  auto none = run_invoicing(d, {"version"});
  CHECK(none.rc == 0);
  CHECK(has(none.out, "data folder: none chosen"));
  CHECK(has(none.out, "released"));
}

TEST_CASE("a workstation whose data folder is gone says so and how to set it up again",
          "[licence]") {
  TempDir d;
  const std::string data = (d / "firma").string();
  REQUIRE(run_invoicing(d, {"init", data}).rc == 0);  // also this workstation's folder now
  fs::rename(data, (d / "moved").string());
  auto r = run_invoicing(d, {"customer", "list"});
  CHECK(r.rc == 1);
  CHECK(has(r.err, data + " cannot be found"));
  CHECK(has(r.err, "invoicing setup workstation"));
}
