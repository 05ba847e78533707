// CDX pages: the 512-byte node format (interior nodes and compact leaves) and the 1024-byte tag
// header. Pure codecs over byte buffers; every count and length is checked against the page.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <cstddef>
#include <vector>

#include "xbase/error.h"

namespace xbase::cdx {

constexpr uint32_t kPageSize = 512;
constexpr uint32_t kTagHeaderSize = 1024;
// Where the fields of a tag header lie (reference 4.2), read and written by the two functions
// below. The expression pool holds the key and the FOR condition, each ended by a NUL.
namespace tag_header {
constexpr size_t root = 0, free_list = 4, version = 8, key_length = 12, options = 14, signature = 15;
constexpr size_t collation = 494, collation_size = 8, descending = 502;
constexpr size_t for_pos = 504, for_len = 506, key_pos = 508, key_len = 510;
constexpr size_t pool = 512, pool_size = 512;
}  // namespace tag_header
constexpr uint32_t kNone = 0xFFFFFFFF;
constexpr uint16_t kMaxKeyLength = 240;

enum : uint16_t { kAttrIndex = 0, kAttrRoot = 1, kAttrLeaf = 2 };

struct TagHeader {
  uint32_t root = 0;
  uint32_t free_list = 0;
  uint32_t version = 0;  // update counter (meaningful in the directory header at offset 0)
  uint16_t key_length = 0;
  uint8_t options = 0;
  uint8_t signature = 0;
  bool descending = false;
  std::string collation;  // "MACHINE", "GENERAL", ... (empty when not recorded)
  std::string key_expr;
  std::string for_expr;

  bool unique() const { return options & 0x01; }
  // VFP: 0x04 marks a CANDIDATE tag, 0x02 a key with a leading null marker (both seen in
  // files Visual FoxPro wrote; Harbour reads 0x02 as its "partial" flag).
  bool candidate() const { return options & 0x04; }
  bool null_marker() const { return options & 0x02; }
  bool has_for() const { return options & 0x08; }
  bool compact() const { return options & 0x20; }
  bool compound() const { return options & 0x40; }
};

// Parses a tag header from kTagHeaderSize bytes at file offset `off` (for messages).
TagHeader parse_tag_header(const uint8_t* p, uint64_t off, const std::string& file);

struct Entry {
  std::string key;  // key_length bytes, trailing fill restored
  uint32_t recno = 0;
  uint32_t child = 0;  // interior nodes only: offset of the child page
  uint32_t page = 0;   // set by CdxFile::scan: the leaf page the entry was read from
};

// A decoded page. Every key is exactly `kl` bytes, so the keys lie back to back in one
// buffer: a million cached keys cost their bytes, not a million strings.
struct Node {
  uint16_t attr = 0;
  uint32_t left = kNone, right = kNone;
  uint16_t kl = 0;
  std::string keys;               // count() keys of kl bytes
  std::vector<uint32_t> recnos;   // one per key
  std::vector<uint32_t> children; // one per key (interior nodes; 0 in leaves)
  // Leaves: the encoded size and entry width when known (0 = unknown), kept up to date by
  // single inserts and erases so that most of them need not measure the whole page.
  size_t size = 0;
  size_t entry_bytes = 0;
  // Leaves: entries [0, clean) lie in the page bytes this node was last read from or written
  // to exactly as they are here; every change at or before an entry lowers it. A flush then
  // encodes only the entries after them (encode_node's `before`): an append to a leaf encodes
  // one entry, not the page (issue 30).
  size_t clean = 0;

  Node() = default;
  explicit Node(uint16_t key_length) : kl(key_length) {}
  // Bit 0x04 appears in files written by CodeBase; its meaning is not documented and it does
  // not change the page layout, so only bits 0-1 are interpreted.
  bool leaf() const { return attr & kAttrLeaf; }
  bool root() const { return attr & kAttrRoot; }
  size_t count() const { return recnos.size(); }
  bool empty() const { return recnos.empty(); }
  std::string_view key(size_t i) const { return {keys.data() + i * kl, kl}; }
  uint32_t recno(size_t i) const { return recnos[i]; }
  uint32_t child(size_t i) const { return children[i]; }
  Entry entry(size_t i) const { return {std::string(key(i)), recnos[i], children[i], 0}; }
  // Keys shorter than kl are padded with `fill`, longer ones cut (callers check lengths).
  void insert(size_t i, std::string_view key, uint32_t recno, uint32_t child = 0, char fill = ' ');
  void push_back(std::string_view key, uint32_t recno, uint32_t child = 0, char fill = ' ') {
    if (key.size() < kl) return insert(count(), key, recno, child, fill);
    keys.append(key.data(), kl);  // bulk builds fill leaves this way, a million keys at a time
    recnos.push_back(recno);
    children.push_back(child);
  }
  void erase(size_t i);
  void set(size_t i, std::string_view key, uint32_t recno);  // keeps the child
  void clear() {
    keys.clear();
    recnos.clear();
    children.clear();
    size = clean = 0;
  }
  // The entries of `o` instead of this node's (its header stays).
  void take_entries(Node&& o) {
    keys = std::move(o.keys);
    recnos = std::move(o.recnos);
    children = std::move(o.children);
    size = clean = 0;
  }
  // Entries [from, to) of `o` appended.
  void append(const Node& o, size_t from, size_t to);
};

// Decodes the node at file offset `off`. `fill` restores trailing bytes of compact leaf keys
// (space for character keys under MACHINE collation, 0x00 otherwise).
Node parse_node(const uint8_t* p, uint64_t off, uint16_t key_length, uint8_t fill,
                const std::string& file);
// The same into `n`, whose buffers are reused (a page another process changed is decoded
// again into the memory it had: no allocation per page read again). On error `n` is left empty.
void parse_node_into(Node& n, const uint8_t* p, uint64_t off, uint16_t key_length, uint8_t fill,
                     const std::string& file);

// Bytes a compact leaf needs for entries [from, to) of a node (24-byte header, entry table,
// key pool); the whole node by default.
size_t leaf_size(const Node& n, uint8_t fill, size_t from = 0, size_t to = SIZE_MAX);
// The entry width of a leaf whose largest record number is `max_recno`, and the key bytes one
// entry stores after `prev` (an empty view for the first entry of a page).
size_t leaf_entry_bytes(uint32_t max_recno, uint16_t key_length);
size_t leaf_entry_bytes(const Node& n);
size_t leaf_key_cost(std::string_view prev, std::string_view key, uint8_t fill);
// Encodes a node into a 512-byte page. Returns false when the entries do not fit.
// `before`: the page bytes the node's first `clean` entries lie in (see Node::clean), or null.
// A leaf whose entry layout is still the one of `before` then keeps those entries' bytes and
// encodes only the rest; the page is the one a whole encoding would give when `before` was
// written by this encoder (and a valid page holding the same entries when another program
// wrote it).
bool encode_node(const Node& n, uint16_t key_length, uint8_t fill, uint8_t* page,
                 const uint8_t* before = nullptr);
// Interior nodes hold this many entries at most.
inline size_t interior_capacity(uint16_t key_length) { return (kPageSize - 12) / (key_length + 8u); }

// Serialises a tag header (kTagHeaderSize bytes).
void encode_tag_header(const TagHeader& h, uint8_t* p);

}  // namespace xbase::cdx
