// Warnings carry a code, and check sorts them by it: each damage below makes Table::open give
// a warning of the expected code, and check reports it with the verdict it always had. A
// warning whose text reads like another kind of damage is still sorted by its code, so
// rewording a message cannot change what check and repair do.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <functional>

#include "damage_util.h"
#include "test_util.h"
#include "util/coding.h"
#include "xbase/check.h"
#include "xbase/table.h"

namespace fs = std::filesystem;
using namespace xbase;
using xbase::test::TempDir;
using Severity = Finding::Severity;

using xbase::test::fixture;
using xbase::test::peek;
using xbase::test::poke;

namespace {

std::string le32(uint32_t v) {
  std::string s(4, '\0');
  coding::put_le32(reinterpret_cast<uint8_t*>(s.data()), v);
  return s;
}
std::string be32(uint32_t v) {
  std::string s(4, '\0');
  coding::put_be32(reinterpret_cast<uint8_t*>(s.data()), v);
  return s;
}
uint64_t record_offset(const fs::path& p, uint32_t recno) {
  auto h = peek(p, 8, 4);
  auto* b = reinterpret_cast<const uint8_t*>(h.data());
  return coding::get_le16(b) + uint64_t(recno - 1) * coding::get_le16(b + 2);
}

struct Case {
  const char* name;
  const char* set;
  std::function<void(const fs::path& dbf, const TempDir& d)> damage;
  WarnCode code;
  // The verdict check gave this warning when it still sorted by text.
  Severity severity;
  const char* area;
  bool repairable;
  int codepage = 0;
};

// The verdict the old text matching gave, by code (the table the switch must keep).
struct Verdict {
  bool reported;
  Severity severity;
  const char* area;
};
Verdict expected(WarnCode c) {
  switch (c) {
    case WarnCode::tag_unmaintainable: return {false, Severity::note, ""};
    case WarnCode::count_too_high:
    case WarnCode::count_too_low:
    case WarnCode::partial_record:
    case WarnCode::record_length_short:  // issue 24: other programs read records of that length
      return {true, Severity::problem, "header"};
    case WarnCode::memo_missing:
    case WarnCode::memo_unreadable:  // issue 24: an empty memo file stops every memo write
    case WarnCode::memo_next_free_bad: return {true, Severity::problem, "memo"};
    case WarnCode::structural_index_missing:
    case WarnCode::index_unusable: return {true, Severity::problem, "index"};
    case WarnCode::journal_stale: return {true, Severity::problem, "journal"};
    // A table without its database's names is sound: notes (its tags are reported per tag).
    case WarnCode::database_missing:
    case WarnCode::database_unreadable:
    case WarnCode::database_table_unknown: return {true, Severity::note, "database"};
    case WarnCode::database_code_not_run: return {false, Severity::note, ""};  // writes only
    default: return {true, Severity::note, "header"};
  }
}

// Out of line: GCC 12 at -O3 takes the inlined aggregate's strings for uninitialized.
[[gnu::noinline]] Warning warning(WarnCode code, const std::string& text) {
  Location at;
  at.file = "T.DBF";
  at.offset = 4;
  return Warning{code, at, text};
}

const WarnCode kAll[] = {
    WarnCode::descriptors_end_with_zero, WarnCode::no_descriptor_terminator,
    WarnCode::unknown_field_type,        WarnCode::record_length_short,
    WarnCode::record_length_long,        WarnCode::nullflags_missing,
    WarnCode::count_too_high,            WarnCode::count_too_low,
    WarnCode::bytes_after_eof_marker,    WarnCode::no_eof_marker,
    WarnCode::partial_record,            WarnCode::codepage_unsupported,
    WarnCode::memo_missing,              WarnCode::memo_unreadable,
    WarnCode::memo_block_size_zero,      WarnCode::memo_block_size_invalid,
    WarnCode::memo_next_free_bad,        WarnCode::structural_index_missing,
    WarnCode::index_unusable,            WarnCode::tag_unmaintainable,
    WarnCode::journal_stale,             WarnCode::value_unreadable,
    WarnCode::database_missing,          WarnCode::database_unreadable,
    WarnCode::database_table_unknown,    WarnCode::database_code_not_run,
};

}  // namespace

TEST_CASE("each damage gives its warning code, and check's verdict for it", "[check]") {
  const std::vector<Case> cases = {
      {"header count too high, record cut short", "vfp",
       [](const fs::path& p, const TempDir&) { fs::resize_file(p, record_offset(p, 700) + 17); },
       WarnCode::count_too_high, Severity::problem, "header", true},
      {"record cut short", "vfp",
       [](const fs::path& p, const TempDir&) { fs::resize_file(p, record_offset(p, 700) + 17); },
       WarnCode::partial_record, Severity::problem, "header", true},
      {"header count too low", "fox2",
       [](const fs::path& p, const TempDir&) { poke(p, 4, le32(900)); },
       WarnCode::count_too_low, Severity::problem, "header", true},
      {"no end-of-file marker", "fox2",
       [](const fs::path& p, const TempDir&) { fs::resize_file(p, record_offset(p, 1001)); },
       WarnCode::no_eof_marker, Severity::note, "header", true},
      {"memo file missing", "vfp", [](const fs::path&, const TempDir& d) { fs::remove(d / "FIX.FPT"); },
       WarnCode::memo_missing, Severity::problem, "memo", false},
      {"memo file emptied", "vfp", [](const fs::path&, const TempDir& d) { fs::resize_file(d / "FIX.FPT", 0); },
       WarnCode::memo_unreadable, Severity::problem, "memo", true},
      {"memo next free block inside the header", "vfp",
       [](const fs::path&, const TempDir& d) { poke(d / "FIX.FPT", 0, be32(0)); },
       WarnCode::memo_next_free_bad, Severity::problem, "memo", true},
      {"memo next free block past the end", "fox2",
       [](const fs::path&, const TempDir& d) { poke(d / "FIX.FPT", 0, be32(0x7FFFFFF0)); },
       WarnCode::memo_next_free_bad, Severity::problem, "memo", true},
      {"structural index missing", "vfp", [](const fs::path&, const TempDir& d) { fs::remove(d / "FIX.CDX"); },
       WarnCode::structural_index_missing, Severity::problem, "index", true},
      {"structural index unreadable", "vfp",
       [](const fs::path&, const TempDir& d) { fs::resize_file(d / "FIX.CDX", 100); },
       WarnCode::index_unusable, Severity::problem, "index", true},
      {"codepage not supported", "db3", [](const fs::path&, const TempDir&) {},
       WarnCode::codepage_unsupported, Severity::note, "header", false, 99999},
  };
  for (const auto& k : cases) {
    INFO(k.name);
    TempDir d;
    auto p = fixture(k.set, d);
    k.damage(p, d);

    OpenOptions o;
    o.read_only = true;
    o.memo_at_open = true;  // as check opens it (shared use meets memo damage at the first memo use)
    o.codepage = k.codepage;
    auto t = Table::open(p, o);
    const Warning* w = nullptr;
    for (const auto& x : t->warnings()) {
      UNSCOPED_INFO(warn_code_name(x.code) << ": " << x.message);
      if (x.code == k.code) w = &x;
    }
    REQUIRE(w);

    // The verdict this test expects is the one check always gave (kept in the table above).
    CHECK(expected(k.code).severity == k.severity);
    CHECK(std::string(expected(k.code).area) == k.area);

    CheckOptions co;
    co.codepage = k.codepage;
    auto r = check_table(p, co);
    bool found = false;
    for (const auto& f : r.findings) {
      if (f.message.rfind(w->message, 0) != 0) continue;
      found = true;
      CHECK(f.severity == k.severity);
      CHECK(f.area == k.area);
      CHECK(f.repair.empty() == !k.repairable);
    }
    CHECK(found);
  }
}

TEST_CASE("check sorts a warning by its code, whatever its text says", "[check]") {
  // Texts that once decided the verdict, each put on every code: the code alone decides.
  const char* texts[] = {
      "header says 9 records but the file holds 3; reading 3",
      "memo file X.FPT is missing; memo fields cannot be read",
      "tag A cannot be maintained: bad expression",
      "no end-of-file marker (0x1A) after the last record",
      "bad page; the index is not used",
      "the header announces a structural index but X.CDX is missing",
      "a commit of a program that stopped could not be completed",
      "next free memo block 0 lies inside the header; using 8",
      "3 bytes after the last whole record are ignored",
      "something the engine says in new words",
  };
  for (WarnCode code : kAll) {
    const Verdict v = expected(code);
    for (const char* text : texts) {
      INFO(warn_code_name(code) << " with text: " << text);
      auto f = finding_for(warning(code, text));
      REQUIRE(f.has_value() == v.reported);
      if (!f) continue;
      CHECK(f->severity == v.severity);
      CHECK(f->area == v.area);
      CHECK(f->message.rfind(text, 0) == 0);  // the message is the warning's, as given
      CHECK(f->where.file == "T.DBF");
    }
  }
}

TEST_CASE("every warning code has a name", "[check]") {
  for (WarnCode code : kAll) CHECK(std::string(warn_code_name(code)) != "unknown");
}
