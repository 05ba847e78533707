// The decoded-page cache's size limit (PageStore::trim, issue 30): past the limit it forgets the
// clean leaves used longest ago and keeps the ones in use, so a tag changed at random places
// does not read and decode again every page it is about to come back to.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cdx/page_store.h"
#include "io/forwarding_fs.h"
#include "testing/mem_fs.h"

using namespace xbase;
using namespace xbase::cdx;

namespace {

// Counts the reads that reach the file.
class CountingFile final : public ForwardingFile {
 public:
  explicit CountingFile(std::unique_ptr<File> f) : ForwardingFile(std::move(f)) {}
  size_t read_at(uint64_t off, void* buf, size_t n) override {
    ++reads;
    return ForwardingFile::read_at(off, buf, n);
  }
  size_t reads = 0;
};

}  // namespace

TEST_CASE("Past its limit the page cache forgets the leaves used longest ago and keeps the rest", "[cdx]") {
  test::MemFileSystem fs;
  CountingFile f(fs.open("/c/T.CDX", OpenMode::create));
  const size_t pages = PageStore::kMaxCachedPages + 2000;
  std::vector<uint32_t> offs;
  {
    // One small leaf per page after the 1 KB header.
    std::vector<uint8_t> header(kTagHeaderSize, 0);
    f.write_at(0, header.data(), header.size());
    PageStore writer(f, f.size());
    for (size_t i = 0; i < pages; ++i) {
      Node n(8);
      n.attr = kAttrLeaf;
      n.push_back(std::string(8, char('A' + i % 26)), uint32_t(i + 1));
      offs.push_back(writer.reserve());
      writer.write_node(offs.back(), n, 8, ' ');
    }
    writer.end_writes();
  }
  PageStore store(f, f.size());
  // Every page cached, oldest first; then the first thousand used again.
  for (uint32_t off : offs) store.node(off, 8, ' ');
  for (size_t i = 0; i < 1000; ++i) store.node(offs[i], 8, ' ');
  f.reads = 0;
  store.trim();
  CHECK(f.reads == 0);
  // The pages used last are still there: no read.
  for (size_t i = 0; i < 1000; ++i) CHECK(store.node(offs[i], 8, ' ').recno(0) == i + 1);
  for (size_t i = pages - 1000; i < pages; ++i) store.node(offs[i], 8, ' ');
  CHECK(f.reads == 0);
  // Those used longest ago were forgotten: read again, and right.
  CHECK(store.node(offs[1000], 8, ' ').recno(0) == 1001);
  CHECK(f.reads == 1);
  // Down to half the limit: the next trim is not due at the next flush.
  f.reads = 0;
  for (size_t i = 1001; i < 1000 + PageStore::kMaxCachedPages / 4; ++i) store.node(offs[i], 8, ' ');
  const size_t read_back = f.reads;
  store.trim();
  for (size_t i = 1001; i < 1000 + PageStore::kMaxCachedPages / 4; ++i) store.node(offs[i], 8, ' ');
  CHECK(f.reads == read_back);
}
