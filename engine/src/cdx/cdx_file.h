// A CDX file: the tag directory and, per tag, its B+-tree of pages.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cdx/page.h"
#include "cdx/tree.h"
#include "xbase/file.h"
#include "xbase/index.h"

namespace xbase::cdx {

struct Tag {
  std::string name;
  uint32_t header_offset = 0;
  TagHeader header;
};

class CdxFile {
 public:
  // Reads the directory and every tag header; throws Error naming file and offset.
  static std::unique_ptr<CdxFile> open(std::unique_ptr<File> f);
  // Opens without reading anything: the first load() or refresh_if_changed() reads the
  // directory (shared use, where that first read is also the check for other writers' commits).
  static std::unique_ptr<CdxFile> open_unloaded(std::unique_ptr<File> f) {
    return std::unique_ptr<CdxFile>(new CdxFile(std::move(f)));
  }
  bool loaded() const { return store_ != nullptr; }
  // Reads the directory and tag headers of a file opened unloaded; on an error it stays unloaded.
  void load();
  // Writes an empty compound index (directory only) into a new file.
  static std::unique_ptr<CdxFile> create(std::unique_ptr<File> f);

  // --- writing ---
  // Adds a tag built from entries sorted by (key, recno). The header carries the key length,
  // options, direction and expressions; its root is filled in here.
  void add_tag(const std::string& name, TagHeader header, const EntrySource& sorted,
               uint32_t max_recno, uint8_t fill);
  void drop_tag(const std::string& name);
  // Gives an empty tag the tree built from `sorted` (its empty root leaf is freed).
  void fill_empty_tag(const std::string& name, const EntrySource& sorted, uint32_t max_recno, uint8_t fill);
  // The tree of a tag, for incremental changes (call flush() afterwards).
  Tree tree(const std::string& name, uint8_t fill);
  // Writes changed pages and tag roots and increments the update counter.
  void flush();
  bool dirty() const { return dirty_; }
  // When another process changed the file (update counter or free list differ): reads the
  // directory again and has every cached page checked against the file before its next use.
  // A file not loaded yet is loaded (returns true).
  bool refresh_if_changed();
  // The read the next refresh_if_changed() makes first, when it is known in advance (offset,
  // length): the update counter, or a small file read whole to load it. A lock taken for the
  // refresh is named with it (journal::ReadForLock).
  std::optional<std::pair<uint64_t, size_t>> first_read() const;
  // Forgets everything read: the next use loads the file again (as one opened unloaded).
  void unload() {
    store_.reset();
    tags_.clear();
    roots_.clear();
    dirty_ = false;
    seen_changed_ = false;
  }
  // Forgets cached and unflushed pages and reads the directory again.
  void reload() {
    store_.reset();
    load_tags();
    dirty_ = false;
  }
  // Whether the update counter and free list still read as when the tags were loaded (one
  // read of the header, no lock): then every cached page is still what the file holds.
  // False when not loaded yet.
  bool unchanged();
  PageStore& store() { return *store_; }
  // Pages read ahead in blocks (PageStore::set_read_ahead), kept across reload().
  void set_read_ahead(bool on) {
    read_ahead_ = on;
    if (store_) store_->set_read_ahead(on);
  }
  // Told the bytes a flush writes over, as the file holds them (PageStore::set_base_noter):
  // changed pages, the header's counters and a tag's root.
  void set_base_noter(PageStore::BaseNoter f) {
    base_noter_ = std::move(f);
    if (store_) store_->set_base_noter(base_noter_);
  }

  const std::vector<Tag>& tags() const {
    need_loaded();
    return tags_;
  }
  // Every tag's definition as stored (INDEX ON ... TAG ... FOR ... options).
  std::vector<TagSpec> specs() const;
  const Tag* find(std::string_view name) const;  // case-insensitive
  uint32_t version() const { return directory_.version; }
  File& file() { return *file_; }

  // Every entry of the tree rooted at `root`, in ascending (key, recno) order, following the
  // leaf chain. Checks page pointers, sibling links and cycles.
  std::vector<Entry> scan(uint32_t root, uint16_t key_length, uint8_t fill) const;
  // The same for a tag by name, seeing changes not yet flushed.
  std::vector<Entry> scan_tag(const std::string& name, uint8_t fill);
  // The leaves of a tree (or tag), left to right, with the same checks, without gathering
  // the entries: fn(page offset, leaf).
  using LeafVisitor = std::function<void(uint32_t, const Node&)>;
  void walk_leaves(uint32_t root, uint16_t key_length, uint8_t fill, const LeafVisitor& fn) const;
  void walk_tag(const std::string& name, uint8_t fill, const LeafVisitor& fn);

 private:
  explicit CdxFile(std::unique_ptr<File> f) : file_(std::move(f)) {}
  // A tag looked up before the file was loaded is a bug of the caller, not a missing tag.
  void need_loaded() const;
  Node read_node(uint64_t off, uint16_t key_length, uint8_t fill) const;
  std::unique_ptr<File> file_;
  void load_tags();  // read_tags(), all or nothing
  void read_tags();
  // Not larger than kPrefetchLimit as far as known: the size of the last load (also after its
  // pages were let go), or the one the open found. Such a file is loaded with one read.
  bool small_as_known() const;
  // Whether the header's update counter and free-list head equal ours; nothing when unreadable.
  std::optional<bool> counters_unchanged();
  static constexpr size_t kCountersLength = 12;  // free list and update counter, from byte 4
  void write_header(uint32_t off, const TagHeader& h);
  uint64_t size_ = 0;
  TagHeader directory_;
  std::vector<Tag> tags_;
  std::unique_ptr<PageStore> store_;
  bool read_ahead_ = false;
  PageStore::BaseNoter base_noter_;
  std::map<std::string, uint32_t> roots_;  // working root of each tag (and "" = directory)
  bool dirty_ = false;
  // unchanged() read counters other than the loaded ones: the next refresh reads the file
  // again without reading them first (until then the tags stay as loaded).
  bool seen_changed_ = false;
};

}  // namespace xbase::cdx
