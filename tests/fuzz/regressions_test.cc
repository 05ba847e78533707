// Regression tests for what the fuzz targets found, built in every configuration (not only
// with XBASE_FUZZ). Each finding gets a test that replays the failing input through the same
// harness the fuzzer uses and checks the engine's behaviour on it directly.
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <string>

#include "cdx/page.h"
#include "fuzz_harness.h"
#include "testing/mem_fs.h"
#include "test_util.h"
#include "xbase/table.h"

namespace fs = std::filesystem;
using namespace xbase;

namespace {

void replay_dbf(const std::string& s) {
  fuzz::run_dbf(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
void replay_dbf_write(const std::string& s) {
  fuzz::run_dbf_write(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
void replay_cdx(const std::string& s) {
  fuzz::run_cdx(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
void replay_memo(const std::string& s) {
  fuzz::run_memo(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

}  // namespace

TEST_CASE("fuzz harnesses run over every shared table and memo file", "[fuzz]") {
  // The seeds run_fuzz.sh starts from: none may crash the harness.
  size_t dbfs = 0, memos = 0, cdxs = 0;
  for (const char* sub : {"fixtures", "corpus"}) {
    fs::path dir = test::shared_dir() / sub;
    if (!fs::exists(dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      std::string ext = e.path().extension().string();
      for (auto& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
      if (ext != ".dbf" && ext != ".dbc" && ext != ".fpt" && ext != ".dct" && ext != ".dbt" &&
          ext != ".cdx")
        continue;
      std::string bytes = test::read_file(e.path());
      if (bytes.size() > 65536 && ext != ".cdx") bytes.resize(65536);
      INFO(e.path().string());
      if (ext == ".cdx") {
        if (bytes.size() > 131071) bytes.resize(131071);
        for (char sel : {'\x04', '\x05', '\x06', '\x07'}) replay_cdx(sel + bytes);
        ++cdxs;
      } else if (ext == ".dbf" || ext == ".dbc") {
        replay_dbf(bytes);
        replay_dbf_write(bytes);
        ++dbfs;
      } else {
        for (int flavour = 0; flavour < 4; ++flavour)
          for (bool write : {false, true}) {
            if ((ext == ".dbt") != (flavour >= 2)) continue;
            replay_memo(fuzz::memo_input(flavour, write, bytes));
          }
        ++memos;
      }
    }
  }
  CHECK(dbfs > 0);
  CHECK(memos > 0);
  CHECK(cdxs > 0);
}

TEST_CASE("cdx harness: the engine's own index, intact and with every byte flipped once",
          "[fuzz][cdx]") {
  for (char flavour : {'\x00', '\x01'}) {
    replay_cdx(std::string(1, flavour));         // the template CDX, read only
    replay_cdx(std::string(1, char(flavour | 2)));  // and changed
    replay_cdx(std::string(1, char(flavour | 4)));  // an empty CDX file
  }
  // A coarse deterministic sweep over the template: flip one byte at a time, every 97 bytes.
  for (size_t at = 0; at < 16384; at += 97) {
    std::string s(at + 2, '\0');
    s[0] = '\x02';
    s[at + 1] = '\xA5';
    replay_cdx(s);
  }
}

TEST_CASE("fuzz harnesses survive trivial inputs", "[fuzz]") {
  replay_dbf("");
  replay_dbf(std::string(32, '\0'));
  replay_dbf(std::string(1, '\x30') + std::string(40, '\xFF'));
  replay_dbf_write(std::string(1, '\x03') + std::string(40, '\x01'));
  for (int flavour = 0; flavour < 4; ++flavour)
    for (bool write : {false, true}) {
      replay_memo(fuzz::memo_input(flavour, write, ""));
      replay_memo(fuzz::memo_input(flavour, write, std::string(600, '\0'), {0, 1, 8, 0xFFFFFFFF}));
      replay_memo(fuzz::memo_input(flavour, write, std::string(600, '\xFF'), {7, 0x7FFFFFFF}));
    }
}

namespace {

// An FPT memo file: 512-byte header (next free block, block size), then the given blocks.
std::string fpt_file(uint32_t next_free, uint16_t block_size, const std::string& blocks) {
  std::string h(512, '\0');
  for (int i = 0; i < 4; ++i) h[size_t(i)] = char(next_free >> (24 - 8 * i));
  h[6] = char(block_size >> 8);
  h[7] = char(block_size);
  return h + blocks;
}

std::string fpt_block(uint32_t type, const std::string& data, uint16_t block_size) {
  std::string b(8, '\0');
  for (int i = 0; i < 4; ++i) {
    b[size_t(i)] = char(type >> (24 - 8 * i));
    b[size_t(4 + i)] = char(uint32_t(data.size()) >> (24 - 8 * i));
  }
  b += data;
  b.resize((b.size() + block_size - 1) / block_size * block_size, '\0');
  return b;
}

}  // namespace

TEST_CASE("FPT whose next-free block lies far past the end of the file", "[fuzz][memo]") {
  // Found while building memo_fuzz's write mode (review of Fpt::write, then confirmed by this
  // input, which the harness flags through the mem fs size cap): the header's next-free pointer
  // (bytes 0-3) was trusted when appending a memo, so a corrupt value made the engine write at
  // block 0x7FFFFFF0, i.e. 128 GiB into the file (a huge sparse file, or a zero-filled one on
  // file systems without holes). A well-formed file has next free == ceil(size / block size)
  // (reference 3.1); every FPT in shared/ does.
  const std::string memo = fpt_file(0x7FFFFFF0, 64, fpt_block(1, "hello", 64));

  SECTION("replayed through the fuzz harness") {
    replay_memo(fuzz::memo_input(0, true, memo, {8}));
  }

  SECTION("the engine appends at the end of the file and says why") {
    test::MemFileSystem fs;
    {
      CreateOptions co;
      co.fs = &fs;
      auto t = Table::create("/r/T.DBF", parse_field_list("NOTE M"), co);
      t->append(std::vector<Value>{Value::text("x")});
      t->close();
    }
    auto dbf = fs.get("/r/T.DBF");
    fs.put("/r/T.FPT", memo);
    // Point record 1 at block 8 ("hello").
    const uint16_t hl = uint16_t(dbf[8] | dbf[9] << 8);
    dbf[hl + 1] = 8;
    dbf[hl + 2] = dbf[hl + 3] = dbf[hl + 4] = 0;
    fs.put("/r/T.DBF", dbf.data(), dbf.size());

    OpenOptions o;
    o.fs = &fs;
    auto t = Table::open("/r/T.DBF", o);
    CHECK(t->get(1, 0) == Value::text("hello"));
    bool warned = false;
    for (const auto& w : t->warnings())
      warned |= w.message.find("next free memo block") != std::string::npos;
    CHECK(warned);
    const std::string big(300, 'z');
    REQUIRE_NOTHROW(t->update(1, 0, Value::text(big)));  // does not fit block 8: appended
    CHECK(t->get(1, 0) == Value::text(big));
    t->close();
    CHECK_FALSE(fs.cap_hit());
    CHECK(fs.get("/r/T.FPT").size() <= 512 + 64 + 320);
  }
}

TEST_CASE("dBASE IV memo rewritten in place over a block the cache had read", "[fuzz][memo]") {
  // Found by memo_fuzz in the first try of the exclusive-use memo cache ("a memo just written
  // reads back differently", record 11): an empty dBASE IV memo file whose records point at
  // blocks 1, 2, 3...; the memos written for the first records fill those blocks, so a later
  // record's rewrite finds its old block in use and writes in place, after reading the old
  // memo there to size it, which cached the old text (engine_memo_memo_cache_test checks the
  // engine directly).
  std::string input("\x07\x00\x01", 3);  // dBASE IV, write mode; next free block 1
  input.append(511, '\0');
  CHECK_NOTHROW(replay_memo(input));  // the harness aborts when a memo reads back wrong
}

TEST_CASE("CDX whose tag directory claims a key length other than 10", "[fuzz][cdx]") {
  // Found by cdx_fuzz (heap-buffer-overflow in cdx::encode_node): the directory's pages were
  // read and cached with the header's key length (here 102), then add_tag inserted a 10-byte
  // tag name through a directory tree of key length 10 that got the cached page, and the page
  // was written back with the 102-byte layout, reading past the end of the 10-byte key.
  // Reference 4.7: the directory's key length is 10. A page reached with two key layouts is now
  // refused as corrupt (PageStore::node).
  test::MemFileSystem fs;
  {
    CreateOptions co;
    co.fs = &fs;
    co.format = Format::fox2;
    auto t = Table::create("/x/T.DBF", parse_field_list("NAME C(20)"), co);
    t->append(std::vector<Value>{Value::text("Zoë")});
    t->close();
  }
  // A CDX with an empty tag directory whose header says key length 102.
  std::vector<uint8_t> cdx(cdx::kTagHeaderSize + cdx::kPageSize, 0);
  cdx::TagHeader h;
  h.key_length = 102;
  h.options = 0xE0;
  h.signature = 1;
  h.root = cdx::kTagHeaderSize;
  cdx::encode_tag_header(h, cdx.data());
  cdx::Node leaf;
  leaf.attr = cdx::kAttrRoot | cdx::kAttrLeaf;
  REQUIRE(cdx::encode_node(leaf, 102, ' ', cdx.data() + cdx::kTagHeaderSize));
  fs.put("/x/T.CDX", cdx.data(), cdx.size());
  auto dbf = fs.get("/x/T.DBF");
  dbf[28] |= 0x01;  // structural index present
  fs.put("/x/T.DBF", dbf.data(), dbf.size());

  OpenOptions o;
  o.exclusive = true;  // creates tags
  o.fs = &fs;
  auto t = Table::open("/x/T.DBF", o);
  CHECK(t->tags().empty());
  try {
    t->create_tag({"BYNAME", "NAME", "", false, false, false});
    FAIL("create_tag on a corrupt tag directory succeeded");
  } catch (const Error& e) {
    CHECK(e.code() == Errc::corrupt);
  }
  CHECK(t->get(1, 0) == Value::text("Zoë"));  // the table itself stays readable

  // The fuzz input itself, rebuilt: fox2 table, write mode, raw CDX bytes.
  std::string raw(1, '\x07');
  raw.append(reinterpret_cast<const char*>(cdx.data()), cdx.size());
  replay_cdx(raw);
}

TEST_CASE("numbers in exponent notation beyond the range of a double", "[fuzz][dbf]") {
  // Found by dbf_fuzz (uncaught std::out_of_range from std::stod): tolerant reading accepts
  // exponent notation from foreign writers, so N(6) holding "32E533" reads as a 535-digit
  // number, and Value::as_real() let std::stod's std::out_of_range escape. The engine reports
  // problems as xbase::Error only.
  test::MemFileSystem fs;
  {
    CreateOptions co;
    co.fs = &fs;
    co.format = Format::dbase3;
    auto t = Table::create("/n/T.DBF", parse_field_list("S N(6), T N(8)"), co);
    t->append(std::vector<Value>{Value::integer(1), Value::integer(2)});
    t->close();
  }
  auto dbf = fs.get("/n/T.DBF");
  const uint16_t hl = uint16_t(dbf[8] | dbf[9] << 8);
  std::memcpy(dbf.data() + hl + 1, "32E533", 6);
  std::memcpy(dbf.data() + hl + 7, "1.5E-999", 8);
  fs.put("/n/T.DBF", dbf.data(), dbf.size());

  replay_dbf(std::string(dbf.begin(), dbf.end()));

  OpenOptions o;
  o.fs = &fs;
  o.read_only = true;
  auto t = Table::open("/n/T.DBF", o);
  Value big = t->get(1, 0);
  REQUIRE(big.kind() == Value::Kind::number);
  CHECK(big.str().size() == 535);
  try {
    big.as_real();
    FAIL("as_real() of 3.2e534 returned");
  } catch (const Error& e) {
    CHECK(e.code() == Errc::overflow);
  }
  Value tiny = t->get(1, 1);
  REQUIRE(tiny.kind() == Value::Kind::number);
  CHECK(tiny.as_real() == 0.0);  // underflows to zero, as strtod does
  CHECK(Value::number("-" + std::string(400, '9')).kind() == Value::Kind::number);
  CHECK_THROWS_AS(Value::number("-" + std::string(400, '9')).as_real(), Error);
  CHECK(Value::number("123.25").as_real() == 123.25);
}

namespace {

// A fox2 table T (NAME C(20), ID N(6)) in `fs` with a structural CDX holding tag A on NAME and
// tag B on ID; returns the CDX bytes.
std::vector<uint8_t> table_with_two_tags(test::MemFileSystem& fs) {
  CreateOptions co;
  co.fs = &fs;
  co.format = Format::fox2;
  auto t = Table::create("/i/T.DBF", parse_field_list("NAME C(20), ID N(6)"), co);
  for (int i = 1; i <= 5; ++i)
    t->append(std::vector<Value>{Value::text("N" + std::to_string(i)), Value::integer(i)});
  t->create_tag({"A", "NAME", "", false, false, false});
  t->create_tag({"B", "ID", "", false, false, false});
  t->close();
  return fs.get("/i/T.CDX");
}

void expect_corrupt_index_refused(test::MemFileSystem& fs) {
  OpenOptions o;
  o.exclusive = true;  // creates tags
  o.fs = &fs;
  auto t = Table::open("/i/T.DBF", o);
  // Whether the index is refused at open (warning) or the change is refused, nothing may be
  // written out of bounds, and the table stays readable.
  try {
    t->update(1, 0, Value::text("changed"));
    t->update(2, 1, Value::integer(-4));
    t->append(std::vector<Value>{Value::text("new"), Value::integer(9)});
    t->close();
  } catch (const Error& e) {
    CHECK(e.code() == Errc::corrupt);
  }
  OpenOptions ro = o;
  ro.read_only = true;
  ro.exclusive = false;
  auto again = Table::open("/i/T.DBF", ro);
  CHECK(again->record_count() >= 5);
}

}  // namespace

TEST_CASE("CDX directory naming the same tag twice", "[fuzz][cdx]") {
  // Found by cdx_fuzz (negative-size memcpy in cdx::encode_node during Table::update): a
  // corrupt directory gave several tags the same (empty) name; tags are looked up by name, so
  // index maintenance put the keys of one tag (30 bytes) into the tree of another (8 bytes),
  // and the empty name also aliased the directory's own root. Now refused when the CDX is
  // loaded (CdxFile::load_tags), and Tree::insert refuses a key of the wrong length.
  test::MemFileSystem fs;
  std::vector<uint8_t> cdx = table_with_two_tags(fs);
  // Rewrite the directory leaf (its root page) so that tag B is also called A.
  const uint32_t root = uint32_t(cdx[0] | cdx[1] << 8 | cdx[2] << 16 | cdx[3] << 24);
  cdx::Node dir = cdx::parse_node(cdx.data() + root, root, 10, ' ', "T.CDX");
  REQUIRE(dir.count() == 2);
  dir.set(1, std::string(dir.key(0)), dir.recno(1));
  REQUIRE(cdx::encode_node(dir, 10, ' ', cdx.data() + root));
  fs.put("/i/T.CDX", cdx.data(), cdx.size());
  {
    OpenOptions o;
    o.fs = &fs;
    o.read_only = true;
    auto t = Table::open("/i/T.DBF", o);
    CHECK(t->tags().empty());  // the index is not used
    bool warned = false;
    for (const auto& w : t->warnings()) warned |= w.message.find("appears twice") != std::string::npos;
    CHECK(warned);
  }
  expect_corrupt_index_refused(fs);
}

namespace {
// /k/T.DBF with tag B (ID FOR ID > 100: numeric keys of 8 bytes, no entries yet) whose header
// says key length 4.
void table_with_short_key_header(test::MemFileSystem& fs) {
  {
    CreateOptions co;
    co.fs = &fs;
    co.format = Format::fox2;
    auto t = Table::create("/k/T.DBF", parse_field_list("NAME C(20), ID N(6)"), co);
    for (int i = 1; i <= 5; ++i)
      t->append(std::vector<Value>{Value::text("N" + std::to_string(i)), Value::integer(i)});
    t->create_tag({"B", "ID", "ID > 100", false, false, false});
    t->close();
  }
  std::vector<uint8_t> cdx = fs.get("/k/T.CDX");
  const uint32_t root = uint32_t(cdx[0] | cdx[1] << 8 | cdx[2] << 16 | cdx[3] << 24);
  cdx::Node dir = cdx::parse_node(cdx.data() + root, root, 10, ' ', "T.CDX");
  REQUIRE(dir.count() == 1);
  const uint32_t hb = dir.recno(0);
  cdx[hb + 12] = 4;  // key length (LE16 at 12)
  cdx[hb + 13] = 0;
  fs.put("/k/T.CDX", cdx.data(), cdx.size());
}
}  // namespace

TEST_CASE("CDX tag whose header key length disagrees with its numeric key", "[fuzz][cdx]") {
  // The same overflow by another road: tag B (ID FOR ID > 100: numeric keys of 8 bytes, no
  // entries yet) with header key length 4 made index maintenance insert an 8-byte key into a
  // 4-byte tree; encoding 128.0 (six trailing zero bytes) then computed a negative length.
  // Tree::insert now refuses a key whose length is not the tree's.
  test::MemFileSystem fs;
  table_with_short_key_header(fs);

  OpenOptions o;
  o.exclusive = true;  // creates tags
  o.fs = &fs;
  auto t = Table::open("/k/T.DBF", o);
  REQUIRE(t->tags().size() == 1);
  try {
    t->update(2, 1, Value::integer(128));
    t->close();
  } catch (const Error& e) {
    CHECK(e.code() == Errc::corrupt);
  }
  OpenOptions ro = o;
  ro.read_only = true;
  ro.exclusive = false;
  auto again = Table::open("/k/T.DBF", ro);
  CHECK(again->record_count() == 5);
}

TEST_CASE("write-behind append of a key longer than its tag's header says is refused", "[fuzz][cdx]") {
  // Appends in exclusive write-behind use defer their keys (IndexSet::apply_append_deferred);
  // a key whose length is not the tag's must be refused there as Tree::insert refuses it,
  // not cut to the header's length and filed silently.
  test::MemFileSystem fs;
  table_with_short_key_header(fs);
  OpenOptions o;
  o.exclusive = true;
  o.write_behind = true;
  o.fs = &fs;
  auto t = Table::open("/k/T.DBF", o);
  REQUIRE(t->tags().size() == 1);
  try {
    t->append(std::vector<Value>{Value::text("N6"), Value::integer(128)});
    FAIL("the append was accepted");
  } catch (const Error& e) {
    CHECK(e.code() == Errc::corrupt);
  }
}

TEST_CASE("dbc harness: corpus-shaped property memos, cut at every length", "[fuzz][dbc]") {
  // A table's class, path and primary key as the corpus DBC stores them, then every prefix
  // (a memo cut short) and the empty memo: none may crash, each reads back what parsed.
  const std::string memo("\x08\0\0\0\x01\0\x02\x01\x11\0\0\0\x01\0\x01types.dbf\0\x0f\0\0\0\x01\0\x14type_id\0", 40);
  for (size_t n = 0; n <= memo.size(); ++n)
    fuzz::run_dbc_properties(reinterpret_cast<const uint8_t*>(memo.data()), n);
  // A length that runs far past the memo.
  const std::string huge("\xff\xff\xff\x7f\x01\0\x01", 7);
  fuzz::run_dbc_properties(reinterpret_cast<const uint8_t*>(huge.data()), huge.size());
}

TEST_CASE("VFP table whose backlink names the table itself", "[fuzz][dbc]") {
  // dbf_write_fuzz's find (ASan stack overflow): /w/FUZZ.DBF with the backlink "/w/FUZZ.DBF"
  // was read as its own database container, whose backlink was followed again, without end.
  // Now no backlink is followed while a container is read: the table opens with a warning.
  const std::string hex =
      "30000a180f001c008801a70000000000000000000000000000000000017a0000c9e8bcc6b1e0bac50000004301000000"
      "2d000000000000000000000000000000c9f3bacbd0c5cfa2000000432e00000078000000000000000000000000000000"
      "cac7b7f1b4f2d3a10000004ca6ffffff010000000000000000000000000000000d2f772f46555a5a2e44424600000000"
      "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "0000000a0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "000000000000000000000000000000000000000000000000000000000000000000c8bbc1d6a3bbb2c9b7a5c0e0d0cda3"
      "bab8a7d3fdb7a5a3bbb2c9b7a5b7bdcabda3bacdb8b9e2b7a5a3bbbeadd3aab4ebcaa9a3bac9cfb7bdcdb8b9e2a3bbbe"
      "adc0edd0a1b0e0a3ba302020202020202020202020202020202020202020202020203230313530303235362d3035394b"
      "2d3030312d303032c4b5b5a4bdadc1d6bfdab3afd1f42020202020202020203ebeadd6a3bbb2c9b7a5c0e0d0cda3bab8"
      "a7d3fdb7a5a3bbb2c9b7a5b7bdcabda3bacdb8b90000000000000001e2b7a5a3bbbeadd3aab4ebcaa9a3bac9cfb7bdcd"
      "b8b9e2a3bbbeadc0edd0a1b0e0a3ba312020202020202020202020202020202020202020202020203230313530303235"
      "362d3035394b2d3030312d303032c4b5b5a4bdadc1d6bfdab3afd1f42020202020202020203ebeadd3aac7f8a3bac9cc"
      "c6b7c1d6a3bbc6f0d4b4a3baccecc8bbc1d6a3bbb2c9b7a5c0e0d0cda3bab8a7d3fdb7a5a3bbb2c9b7a5b7bdcabd5d3b"
      "cdb8b9e2b7a5a3bbbeadd3aab4ebcaa9a3bac9cfb7bdcdb8b9e2a3bbbeadc0edd0a1b0e0a3ba31202020202020202020"
      "202020202020202020202020202020";
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes += char(std::stoi(hex.substr(i, 2), nullptr, 16));
  REQUIRE(bytes.size() == 735);
  replay_dbf_write(bytes);
  replay_dbf(bytes);
}
