// Sorting index keys for a bulk build: in memory while they fit a budget, otherwise in
// sorted runs written to temporary files beside the index and merged on the way out.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

#include "cdx/key_sort.h"
#include "cdx/page.h"
#include "util/prefault.h"
#include "xbase/file.h"

namespace xbase::cdx {

class KeySorter {
 public:
  KeySorter(FileSystem& fs, std::filesystem::path temp_prefix, uint16_t key_length, size_t memory_budget);
  ~KeySorter();
  KeySorter(const KeySorter&) = delete;
  KeySorter& operator=(const KeySorter&) = delete;

  // How many entries are coming (a hint): room for them, up to the budget, is reserved once.
  void expect(size_t entries) { expected_ = entries; }
  void add(std::string_view key, uint32_t recno);  // padded with 0x00 to the key length
  // The same for a key written in place: write(char*) fills exactly key_length bytes.
  template <class W>
  void add_in_place(uint32_t recno, W&& write) {
    write(reinterpret_cast<char*>(slot(recno)));
    added();
  }
  // After the last add(): the entries in (key, recno) order, one per call; false at the end.
  bool next(Entry& e);
  // The same without a copy: `key` points into the sorter until the next call.
  bool next(std::string_view& key, uint32_t& recno);
  size_t runs() const { return runs_.size(); }
  uint32_t max_recno() const { return max_recno_; }

 private:
  struct Run {
    std::filesystem::path path;
    std::unique_ptr<File> file;
    uint64_t size = 0, pos = 0;
    std::vector<uint8_t> buf;
    size_t buf_pos = 0, buf_len = 0;
  };
  uint8_t* slot(uint32_t recno);  // room for one more entry, its record number written
  void added();                   // after an entry is complete: spills past the budget
  void note_order();              // ordered_ false at the first entry not above the one before
  std::vector<uint32_t> sorted_order();  // of mem_'s entries; frees scratch_
  void spill();
  bool read_entry(Run& r, Entry& e);

  FileSystem& fs_;
  std::filesystem::path prefix_;
  uint16_t kl_;
  size_t budget_;
  size_t bytes_ = 0;
  size_t expected_ = 0;
  uint32_t max_recno_ = 0;
  // In memory: entries of key_length + 4 bytes (the key, then the record number big-endian,
  // so that memcmp order is entry order), and their sorted order.
  std::vector<uint8_t> mem_;
  size_t room_ = 0;       // entries reserved in mem_ (0: none reserved)
  bool ordered_ = true;   // every entry so far above the one before
  SortScratch scratch_;   // where mem_ is sorted: the order with mem_, the items at the first inversion
  // Faults in mem_ and the order, then the radix items; after them, so that it stops first.
  Prefault prefault_;
  std::vector<uint32_t> order_;
  SortedEntries sorted_;  // over mem_ in order_, once sorted
  Entry merged_;  // next(view) from runs on disk: the entry the view points into
  bool merging_ = false;
  std::vector<Run> runs_;
  struct Head {
    Entry e;
    size_t run;
  };
  struct HeadGreater {
    bool operator()(const Head& a, const Head& b) const;
  };
  std::priority_queue<Head, std::vector<Head>, HeadGreater> heap_;
};

}  // namespace xbase::cdx
