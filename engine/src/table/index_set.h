// The indexes of one table: the structural CDX with its tags compiled, kept up to date as
// records change, built and rebuilt in bulk, and read in tag order.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <string>
#include <vector>

#include "cdx/cdx_file.h"
#include "expr/expr.h"
#include "xbase/index.h"
#include "xbase/table.h"

namespace xbase {

class IndexSet {
 public:
  // Calls fn(recno, record bytes) for every record of the table, in record order.
  using RecordVisitor = std::function<void(uint32_t, const uint8_t*)>;
  using RecordScan = std::function<void(const RecordVisitor&)>;

  IndexSet(std::unique_ptr<cdx::CdxFile> file, const std::vector<Field>& descriptors,
           const Codepage& cp, Format format, RecordScan scan);

  const std::vector<TagInfo>& tags() const { return infos_; }
  cdx::CdxFile& file() { return *file_; }

  // Record changes. `before` is null for an append. Throws (and changes nothing) when a
  // candidate tag would get a duplicate key or a tag cannot be maintained.
  void check(uint32_t recno, const uint8_t* before, const uint8_t* after);
  void apply(uint32_t recno, const uint8_t* before, const uint8_t* after);
  void flush() { file_->flush(); }

  void create_tag(const TagSpec& spec);
  void drop_tag(std::string_view name);
  // Builds every tag again from its definition into a fresh file (zap, pack, reindex).
  std::vector<TagSpec> specs() const;

  std::vector<uint32_t> order(std::string_view tag);
  std::optional<uint32_t> seek(std::string_view tag, const Value& key, SeekMode mode);
  size_t key_count(std::string_view tag);

  // The index key a value becomes in this tag (for seeks), or nullopt for an unusable value.
  std::string seek_key(std::string_view tag, const Value& key, SeekMode mode);

 private:
  struct Runtime {
    std::string name;
    std::optional<expr::Expression> key, cond;
    std::string problem;
    uint16_t key_length = 0;
    uint8_t fill = ' ';
    bool marker = false, unique = false, candidate = false, descending = false;
    // UNIQUE tags: every record of each key, built by one scan the first time the record that
    // stands for a key leaves the tag, then kept up to date (so finding its heir is cheap).
    std::optional<std::unordered_map<std::string, std::set<uint32_t>>> members;
  };
  void compile(const cdx::Tag& t);
  Runtime& runtime(std::string_view name);
  bool key_of(const Runtime& rt, uint32_t recno, const uint8_t* rec, std::string& key) const;
  std::vector<cdx::Entry> build_entries(Runtime& rt);
  void refresh_infos();

  std::unique_ptr<cdx::CdxFile> file_;
  const std::vector<Field>& fields_;
  const Codepage& cp_;
  Format format_;
  RecordScan scan_;
  std::vector<Runtime> runtimes_;
  std::vector<TagInfo> infos_;
  const Field* nullflags_ = nullptr;
};

}  // namespace xbase
