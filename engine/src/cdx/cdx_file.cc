#include "cdx/cdx_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "util/coding.h"

namespace xbase::cdx {

namespace {

[[noreturn]] void corrupt(const File& f, uint64_t off, const std::string& msg) {
  throw Error(Errc::corrupt, {f.path(), off, {}, {}}, msg);
}

std::string trim_name(const std::string& k) {
  size_t e = k.size();
  while (e > 0 && (k[e - 1] == ' ' || k[e - 1] == '\0')) --e;
  std::string s = k.substr(0, e);
  for (auto& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::unique_ptr<CdxFile> CdxFile::open(std::unique_ptr<File> f) {
  std::unique_ptr<CdxFile> c(new CdxFile(std::move(f)));
  c->load_tags();
  return c;
}

void CdxFile::load() { load_tags(); }

void CdxFile::need_loaded() const {
  if (!store_)
    throw Error(Errc::usage, {file_->path(), {}, {}, {}}, "internal: the index was used before it was read");
}

// All or nothing: a load (or refresh, or reload) that fails halfway, its directory read and
// some tags not, leaves the file unloaded, to be read whole under a lock at its next use; kept,
// a look without the lock would find the counters as loaded and trust the half-read tags.
void CdxFile::load_tags() {
  try {
    read_tags();
  } catch (...) {
    store_.reset();
    tags_.clear();
    roots_.clear();
    dirty_ = false;
    seen_changed_ = false;
    throw;
  }
}

void CdxFile::read_tags() {
  File& file = *file_;
  // A small file is read whole under the same lock (the header, tag headers and pages at
  // once), and its size comes with that read, with no question to the server (a round trip on
  // a share at every open and refresh).
  std::vector<uint8_t> whole;
  const bool read_whole = small_as_known() && read_whole_within(file, PageStore::kPrefetchLimit + 1, whole) &&
                          !whole.empty();
  size_ = read_whole ? whole.size() : file.size();
  tags_.clear();
  roots_.clear();
  // A refresh keeps the decoded pages and checks each against the file before its next use.
  if (store_)
    store_->revalidate(size_);
  else
    store_ = std::make_unique<PageStore>(file, size_);
  store_->set_read_ahead(read_ahead_);
  store_->set_base_noter(base_noter_);
  if (size_ < kTagHeaderSize + kPageSize)
    corrupt(file, 0, fmt::format("index file of {} bytes is too short for a CDX", size_));
  if (read_whole)
    store_->take_prefetch(std::move(whole));
  else
    store_->prefetch(size_);  // under the same lock: the header, tag headers and pages at once
  std::vector<uint8_t> buf(kTagHeaderSize);
  store_->read(0, buf.data(), buf.size());
  directory_ = parse_tag_header(buf.data(), 0, file.path());
  if (directory_.root >= size_)
    corrupt(file, 0, fmt::format("tag directory root {} is past the end of the file", directory_.root));
  roots_[""] = directory_.root;
  for (const Entry& e : scan(directory_.root, directory_.key_length, ' ')) {
    Tag t;
    t.name = trim_name(e.key);
    t.header_offset = e.recno;
    // Tags are found by name (and "" is the directory itself): a nameless or repeated name
    // would make two trees share one root.
    if (roots_.count(t.name))
      corrupt(file, 0, t.name.empty() ? std::string("the tag directory holds a tag without a name")
                                      : fmt::format("tag {} appears twice in the tag directory", t.name));
    if (t.header_offset % kPageSize != 0 || uint64_t(t.header_offset) + kTagHeaderSize > size_)
      corrupt(file, 0, fmt::format("tag {} has its header at {}, not a page inside the file", t.name,
                                   t.header_offset));
    store_->read(t.header_offset, buf.data(), buf.size());
    t.header = parse_tag_header(buf.data(), t.header_offset, file.path());
    if (t.header.root >= size_)
      corrupt(file, t.header_offset,
              fmt::format("tag {}: root page {} is past the end of the file", t.name, t.header.root));
    roots_[t.name] = t.header.root;
    tags_.push_back(std::move(t));
  }
  // Creation order (header offset), as Harbour and VFP number tags.
  std::sort(tags_.begin(), tags_.end(),
            [](const Tag& a, const Tag& b) { return a.header_offset < b.header_offset; });
  seen_changed_ = false;  // only now: a load that failed halfway is read again whole next time
}

namespace {
TagHeader directory_header() {
  TagHeader h;
  h.key_length = 10;
  h.options = 0xE0;  // compact, compound, tag list
  h.signature = 1;
  return h;
}
}  // namespace

std::unique_ptr<CdxFile> CdxFile::create(std::unique_ptr<File> f) {
  // Directory header (1024 bytes), then the directory's root: one empty leaf.
  std::vector<uint8_t> bytes(kTagHeaderSize + kPageSize, 0);
  TagHeader h = directory_header();
  h.root = kTagHeaderSize;
  encode_tag_header(h, bytes.data());
  Node leaf;
  leaf.attr = kAttrRoot | kAttrLeaf;
  encode_node(leaf, 10, ' ', bytes.data() + kTagHeaderSize);
  f->write_at(0, bytes.data(), bytes.size());
  f->truncate(bytes.size());
  return open(std::move(f));
}

void CdxFile::write_header(uint32_t off, const TagHeader& h) {
  uint8_t buf[kTagHeaderSize];
  encode_tag_header(h, buf);
  store_->forget_prefetch();
  file_->write_at(off, buf, kTagHeaderSize);
}

void CdxFile::add_tag(const std::string& raw_name, TagHeader h, const EntrySource& sorted,
                      uint32_t max_recno, uint8_t fill) {
  std::string name = trim_name(raw_name);
  if (name.empty() || name.size() > 10)
    throw Error(Errc::usage, {file_->path(), {}, {}, {}}, fmt::format("tag name \"{}\" must have 1 to 10 characters", raw_name));
  if (find(name)) throw Error(Errc::usage, {file_->path(), {}, {}, {}}, fmt::format("tag {} exists already", name));
  // Reserve the tag header, then build the tree behind it.
  std::vector<uint8_t> blank(kTagHeaderSize, 0);
  uint32_t hoff = store_->append_raw(blank.data(), blank.size());
  h.root = build_tree(*store_, sorted, max_recno, {h.key_length, fill});
  if (h.signature == 0) h.signature = 1;
  // VFP leaves the collation name empty for MACHINE order.
  write_header(hoff, h);
  std::string key = name;
  key.resize(10, ' ');
  Tree dir(*store_, roots_[""], {10, ' '});
  dir.insert(key, hoff);
  Tag t;
  t.name = name;
  t.header_offset = hoff;
  t.header = h;
  roots_[name] = h.root;
  tags_.push_back(std::move(t));
  // VFP marks the directory when the file holds a candidate tag.
  if ((h.options & 0x04) && !(directory_.options & 0x04)) {
    directory_.options |= 0x04;
    store_->forget_prefetch();
  file_->write_at(14, &directory_.options, 1);
  }
  dirty_ = true;
}

void CdxFile::drop_tag(const std::string& raw_name) {
  const Tag* t = find(raw_name);
  if (!t) throw Error(Errc::not_found, {file_->path(), {}, {}, {}}, fmt::format("no tag named {}", raw_name));
  std::string key = t->name;
  key.resize(10, ' ');
  Tree dir(*store_, roots_[""], {10, ' '});
  if (!dir.erase(key, t->header_offset)) corrupt(*file_, 0, fmt::format("tag {} is not in the directory", t->name));
  roots_.erase(t->name);
  tags_.erase(tags_.begin() + (t - tags_.data()));
  dirty_ = true;
}

std::vector<TagSpec> CdxFile::specs() const {
  std::vector<TagSpec> out;
  for (const auto& t : tags_) {
    TagSpec s;
    s.name = t.name;
    s.key = t.header.key_expr;
    s.for_expr = t.header.for_expr;
    s.unique = t.header.unique();
    s.candidate = t.header.candidate();
    s.descending = t.header.descending;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Entry> CdxFile::scan_tag(const std::string& name, uint8_t fill) {
  const Tag* t = find(name);
  if (!t) throw Error(Errc::not_found, {file_->path(), {}, {}, {}}, fmt::format("no tag named {}", name));
  return scan(roots_[t->name], t->header.key_length, fill);
}

void CdxFile::walk_tag(const std::string& name, uint8_t fill, const LeafVisitor& fn) {
  const Tag* t = find(name);
  if (!t) throw Error(Errc::not_found, {file_->path(), {}, {}, {}}, fmt::format("no tag named {}", name));
  walk_leaves(roots_[t->name], t->header.key_length, fill, fn);
}

void CdxFile::fill_empty_tag(const std::string& name, const EntrySource& sorted, uint32_t max_recno,
                             uint8_t fill) {
  const Tag* t = find(name);
  if (!t) throw Error(Errc::not_found, {file_->path(), {}, {}, {}}, fmt::format("no tag named {}", name));
  uint32_t& root = roots_[t->name];
  const Node& old = store_->node(root, t->header.key_length, fill);
  if (!old.leaf() || !old.empty())
    throw Error(Errc::corrupt, {file_->path(), root, {}, {}}, fmt::format("internal: tag {} is not empty", t->name));
  uint32_t fresh = build_tree(*store_, sorted, max_recno, {t->header.key_length, fill});
  store_->release(root);
  root = fresh;
  dirty_ = true;
}

Tree CdxFile::tree(const std::string& name, uint8_t fill) {
  const Tag* t = find(name);
  if (!t) throw Error(Errc::not_found, {file_->path(), {}, {}, {}}, fmt::format("no tag named {}", name));
  return Tree(*store_, roots_[t->name], {t->header.key_length, fill});
}

void CdxFile::flush() {
  if (!store_ || (!dirty_ && !store_->dirty())) return;
  store_->flush();
  using coding::put_le32;
  for (auto& t : tags_) {
    uint32_t root = roots_[t.name];
    if (root != t.header.root) {
      uint8_t b[4];
      // The root the file holds: read with the header, and every writer moves the counter.
      put_le32(b, t.header.root);
      if (base_noter_) base_noter_(t.header_offset, b, 4);
      t.header.root = root;
      put_le32(b, root);
      store_->write_raw(t.header_offset, b, 4);
    }
  }
  // The directory root, and the update counter other processes compare (reference 4.10).
  // What the file holds there now is what the last load or counter check read (the check
  // under this change's index lock found them equal), the before-image a transaction keeps.
  uint8_t h[12];
  auto encode = [&] {
    put_le32(h, directory_.root);
    put_le32(h + 4, directory_.free_list);
    coding::put_be32(h + 8, directory_.version);
  };
  if (base_noter_) {
    encode();
    base_noter_(0, h, 12);
  }
  directory_.root = roots_[""];
  ++directory_.version;
  encode();
  store_->write_raw(0, h, 12);
  dirty_ = false;
  store_->trim();  // between operations: no page is referenced now
}

bool CdxFile::small_as_known() const {
  const std::optional<uint64_t> hint = size_ ? std::optional<uint64_t>(size_) : file_->size_at_open();
  return hint && *hint <= PageStore::kPrefetchLimit;
}

std::optional<std::pair<uint64_t, size_t>> CdxFile::first_read() const {
  if (store_ && !seen_changed_) return std::pair<uint64_t, size_t>{0, kCountersLength};
  if (small_as_known()) return std::pair<uint64_t, size_t>{0, PageStore::kPrefetchLimit + 1};
  return std::nullopt;
}

std::optional<bool> CdxFile::counters_unchanged() {
  uint8_t h[kCountersLength];
  if (file_->read_at(0, h, kCountersLength) != kCountersLength) return std::nullopt;
  uint32_t version = uint32_t(h[8]) << 24 | uint32_t(h[9]) << 16 | uint32_t(h[10]) << 8 | h[11];
  uint32_t free_list = uint32_t(h[4]) | uint32_t(h[5]) << 8 | uint32_t(h[6]) << 16 | uint32_t(h[7]) << 24;
  return version == directory_.version && free_list == directory_.free_list;
}

bool CdxFile::unchanged() {
  if (!store_) return false;
  const std::optional<bool> same = counters_unchanged();
  if (same == false) seen_changed_ = true;
  return same.value_or(false) && !dirty_ && !store_->dirty();
}

bool CdxFile::refresh_if_changed() {
  if (!store_) {
    load();
    return true;
  }
  // A look without the lock (unchanged()) found the counters moved: the file is read again at
  // once, without asking them again under the lock (issue 30: the front end's first read of a
  // table a colleague changed was counter, lock, counter, whole file; a round trip each on a
  // share). Reading it again is right whatever they say now.
  if (!seen_changed_) {
    auto same = counters_unchanged();
    if (!same) corrupt(*file_, 0, "index header unreadable");
    if (*same) return false;
  }
  load_tags();
  return true;
}

const Tag* CdxFile::find(std::string_view name) const {
  need_loaded();
  for (const auto& t : tags_) {
    if (t.name.size() != name.size()) continue;
    bool eq = true;
    for (size_t i = 0; i < name.size() && eq; ++i)
      eq = t.name[i] == std::toupper(static_cast<unsigned char>(name[i]));
    if (eq) return &t;
  }
  return nullptr;
}

Node CdxFile::read_node(uint64_t off, uint16_t kl, uint8_t fill) const {
  // Through the page store: sees pages changed since the last flush.
  return store_->node(uint32_t(off), kl, fill);
}

void CdxFile::walk_leaves(uint32_t root, uint16_t kl, uint8_t fill, const LeafVisitor& fn) const {
  // Down the left edge to the first leaf.
  uint64_t off = root;
  Node n = read_node(off, kl, fill);
  for (int depth = 0; !n.leaf(); ++depth) {
    if (depth > 32) corrupt(*file_, off, "index tree deeper than 32 levels (a pointer cycle?)");
    if (n.empty()) corrupt(*file_, off, "interior page without keys");
    off = n.children.front();
    n = read_node(off, kl, fill);
  }
  if (n.left != kNone) corrupt(*file_, off + 4, "the first leaf of the tag has a left sibling");
  std::unordered_set<uint64_t> seen;
  for (;;) {
    if (!seen.insert(off).second) corrupt(*file_, off, "leaf sibling links form a cycle");
    fn(uint32_t(off), n);
    if (n.right == kNone) break;
    uint64_t next = n.right;
    Node m = read_node(next, kl, fill);
    if (!m.leaf()) corrupt(*file_, next, "right sibling of a leaf is not a leaf");
    if (m.left != off)
      corrupt(*file_, next + 4,
              fmt::format("left sibling {} does not point back to the page before it ({})", m.left, off));
    off = next;
    n = std::move(m);
  }
}

std::vector<Entry> CdxFile::scan(uint32_t root, uint16_t kl, uint8_t fill) const {
  std::vector<Entry> out;
  walk_leaves(root, kl, fill, [&](uint32_t page, const Node& n) {
    for (size_t i = 0; i < n.count(); ++i) {
      out.push_back(n.entry(i));
      out.back().page = page;
    }
  });
  return out;
}

}  // namespace xbase::cdx
