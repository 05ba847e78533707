// Path templates of the accounting targets with hostile variable values: each value is one
// safe component, and no template or value leads out of the configured root.
#include "delivery/path_template.h"

#include <catch2/catch.hpp>

using namespace invoicing::delivery;
namespace fs = std::filesystem;

namespace {

// A component Windows and Samba both take as one plain name.
void check_safe(const std::string& c) {
  INFO(c);
  REQUIRE(!c.empty());
  CHECK(c.size() <= kMaxComponentBytes + 1);  // + the '_' before a device name
  CHECK(c != ".");
  CHECK(c != "..");
  CHECK(c.front() != '.');
  CHECK(c.front() != ' ');
  CHECK(c.back() != '.');
  CHECK(c.back() != ' ');
  for (unsigned char ch : c) {
    CHECK(ch >= 0x20);
    CHECK(ch != 0x7F);
    CHECK(std::string_view("<>:\"/\\|?*").find(char(ch)) == std::string_view::npos);
  }
}

std::map<std::string, std::string> vars(std::string name, std::string id = "BE0477472701",
                                        std::string file = "17") {
  return {{"enterprise_name", name}, {"enterprise_identifier", id}, {"accounting_file_id", file}};
}

}  // namespace

TEST_CASE("each hostile value becomes one safe path component", "[delivery]") {
  CHECK(safe_component("../../etc") == "___.._etc");
  CHECK(safe_component("Café \"De Gouden Leeuw\" BV / Sint-Niklaas") ==
        "Café _De Gouden Leeuw_ BV _ Sint-Niklaas");
  CHECK(safe_component("BE 0477.472.701") == "BE 0477.472.701");
  CHECK(safe_component("2026:17") == "2026_17");
  CHECK(safe_component("file id.") == "file id");
  CHECK(safe_component("  spaced  ") == "spaced");
  CHECK(safe_component("a\tb\nc\x7f"
                       "d") == "a_b_c_d");
  CHECK(safe_component("C:\\Winbooks\\Data") == "C__Winbooks_Data");
  CHECK(safe_component("<>:\"|?*x") == "_______x");
  CHECK(safe_component(".hidden") == "_hidden");
  // Windows device names, with or without an extension, in any case.
  CHECK(safe_component("CON") == "_CON");
  CHECK(safe_component("con.txt") == "_con.txt");
  CHECK(safe_component("Nul") == "_Nul");
  CHECK(safe_component("COM1") == "_COM1");
  CHECK(safe_component("lpt9.xml") == "_lpt9.xml");
  CHECK(safe_component("AUX ") == "_AUX");
  CHECK(safe_component("CONSOLE") == "CONSOLE");
  CHECK(safe_component("COM0") == "COM0");
  // Nothing usable left.
  CHECK(safe_component("") == "");
  CHECK(safe_component("..") == "");
  CHECK(safe_component(".") == "");
  CHECK(safe_component(" . . ") == "");
  CHECK(safe_component("///") == "");
  CHECK(safe_component(std::string(100, '.') + "x") == "");  // 64 '_' are not a name
  // Bytes that are not UTF-8 never reach a file name.
  CHECK(safe_component("caf\xe9") == "caf_");
  CHECK(safe_component("x\xc0\xaf") == "x__");  // an overlong "/"
  for (std::string v : std::vector<std::string>{
           "../../etc", "Café \"De Gouden Leeuw\" BV / Sint-Niklaas", "BE 0477 472 701", "a.b.c.",
           "x:y:z", "CON", "prn.pdf", std::string(300, 'a'), std::string(10, '.') + "x",
           "\\\\server\\share", "..\\..\\windows", std::string("nul\0x", 5)})
    check_safe(safe_component(v));
}

TEST_CASE("a long value is cut at a character, not inside one", "[delivery]") {
  std::string v;
  for (int i = 0; i < 40; ++i) v += "é";  // 80 bytes
  const std::string c = safe_component(v);
  CHECK(c.size() == kMaxComponentBytes);
  CHECK(c == v.substr(0, kMaxComponentBytes));
  const std::string odd = "x" + v;  // the cut falls inside an é
  CHECK(safe_component(odd).size() == kMaxComponentBytes - 1);
  CHECK(safe_component(std::string(63, 'a') + " .b") == std::string(63, 'a'));
}

TEST_CASE("templates are checked when configured", "[delivery]") {
  const auto refused = [](const std::string& t, const std::string& part) {
    INFO(t);
    try {
      parse_template(t);
      FAIL("accepted");
    } catch (const std::invalid_argument& e) {
      CHECK_THAT(e.what(), Catch::Contains(part));
    }
  };
  refused("", "empty");
  refused("relative/[enterprise_name]", "relative");
  refused("C:\\Winbooks\\Data\\[enterprise_identifier]", "drive letter");
  refused("/srv/acc/../../etc/[enterprise_name]", "\"..\"");
  refused("/srv/acc/[enterprise_name]/../../../etc", "\"..\"");
  refused("/srv/./acc", "\".\"");
  refused("/srv/acc/[company]", "[company]");
  refused("/srv/acc/[enterprise_name", "without its ']'");
  refused("/[enterprise_name]/in", "root would be /");
  refused("\\\\[enterprise_name]\\share\\x", "server or share");
  refused("\\\\SERVER", "not \\\\SERVER\\Share");

  auto t = parse_template("\\\\SERVER\\Winbooks\\Data\\[enterprise_identifier]\\inbound");
  CHECK(t.unc_share == "\\\\SERVER\\Winbooks");
  CHECK(t.root_parts == std::vector<std::string>{"Data"});
  CHECK(t.var_parts == std::vector<std::string>{"[enterprise_identifier]", "inbound"});
  auto l = parse_template("/srv/acc/[enterprise_name]/[accounting_file_id]-sales");
  CHECK(l.unc_share.empty());
  CHECK(l.root_parts == std::vector<std::string>{"srv", "acc"});
}

TEST_CASE("a template resolves below its root for any value, or is refused", "[delivery]") {
  const MountMap mounts = {{unc_key("\\\\Server\\Winbooks"), Mount{"/mnt/server-winbooks", true}}};
  auto unc = parse_template("\\\\SERVER\\WINBOOKS\\Data\\[enterprise_identifier]\\inbound");
  auto r = resolve(unc, vars("x", "BE0477472701"), mounts);
  CHECK(r.root == fs::path("/mnt/server-winbooks/Data"));
  CHECK(r.dir == fs::path("/mnt/server-winbooks/Data/BE0477472701/inbound"));

  auto local = parse_template("/srv/acc/[enterprise_name]/[accounting_file_id]");
  for (const auto& [name, file] : std::vector<std::pair<std::string, std::string>>{
           {"../../etc", "17"},
           {"Café \"De Gouden Leeuw\" BV / Sint-Niklaas", "2026:17"},
           {"CON", "LPT1"},
           {"a/../../..", "x:\\y"},
           {std::string(50, '/') + "z", ". z ."}}) {
    auto p = resolve(local, vars(name, "BE 0477.472.701", file), {});
    INFO(p.dir.string());
    CHECK(is_within(p.dir, "/srv/acc"));
    CHECK(std::distance(p.dir.begin(), p.dir.end()) == 5);  // / srv acc NAME FILE
    for (const auto& c : fs::relative(p.dir, "/srv/acc")) check_safe(c.string());
  }
  CHECK(resolve(local, vars("Café \"De Gouden Leeuw\" BV / Sint-Niklaas", "", "2026:17"), {}).dir ==
        fs::path("/srv/acc/Café _De Gouden Leeuw_ BV _ Sint-Niklaas/2026_17"));

  // Nothing usable: refused naming the variable, never a shorter path.
  try {
    resolve(local, vars("..", "x", "17"), {});
    FAIL("accepted");
  } catch (const std::invalid_argument& e) {
    CHECK_THAT(e.what(), Catch::Contains("[enterprise_name]"));
  }
  try {
    resolve(local, vars("Bakkerij", "x", ""), {});
    FAIL("accepted");
  } catch (const std::invalid_argument& e) {
    CHECK_THAT(e.what(), Catch::Contains("[accounting_file_id] is empty"));
  }
  // Only separators within the length limit: nothing of the value is left.
  CHECK_THROWS_WITH(resolve(local, vars(std::string(500, '/') + "z", "x", "17"), {}),
                    Catch::Contains("[enterprise_name] is \"////"));
  // A share with no mount point.
  try {
    resolve(parse_template("\\\\OTHER\\Share\\[enterprise_name]"), vars("x"), mounts);
    FAIL("accepted");
  } catch (const std::invalid_argument& e) {
    CHECK_THAT(e.what(), Catch::Contains("no mount point"));
  }
  // Fixed text around a variable that would make a device name.
  auto dev = parse_template("/srv/acc/[accounting_file_id]");
  CHECK(resolve(dev, vars("x", "y", "nul"), {}).dir == fs::path("/srv/acc/_nul"));
}

TEST_CASE("is_within compares whole components", "[delivery]") {
  CHECK(is_within("/srv/acc/x", "/srv/acc"));
  CHECK(is_within("/srv/acc", "/srv/acc"));
  CHECK(!is_within("/srv/accounting", "/srv/acc"));
  CHECK(!is_within("/srv/acc/../etc", "/srv/acc"));
  CHECK(is_within("/srv/acc/x", "/srv/acc/"));
}
