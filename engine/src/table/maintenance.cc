// Pack, zap and reindex: the operations that rewrite a table's files whole (exclusive use,
// outside transactions).
#include <fmt/format.h>

#include <functional>

#include "table/table_files.h"
#include "table/table_impl.h"

namespace xbase {

namespace fs = std::filesystem;

// Builds every tag of an index file again into a new file beside it, then renames that into
// place; returns the new file opened.
std::unique_ptr<IndexSet> Table::Impl::rebuilt(std::unique_ptr<IndexSet> old, const fs::path& p) {
  std::vector<TagSpec> specs = old->specs();
  fs::path tmp = with_suffix(p, ".tmp");
  {
    auto fresh = make_set(cdx::CdxFile::create(fs->open(tmp, OpenMode::create)));
    for (const auto& s : specs) fresh->create_tag(s);
    fresh->file().file().sync();
  }
  old.reset();
  fs->rename(tmp, p);
  fs->sync_dir(p.parent_path());
  return open_index_file(p, read_only);
}

// Rebuilds every open index (zap, pack, reindex).
void Table::Impl::rebuild_index() {
  if (index) {
    try {
      index = rebuilt(std::move(index), index_path);
    } catch (const Error& e) {
      if (index || e.code() == Errc::lock_timeout) throw;
      warn({WarnCode::index_unusable, e.where(), e.detail() + "; the index is not used"});
    }
  }
  for (size_t i = 0; i < extra.size(); ++i) extra[i] = rebuilt(std::move(extra[i]), extra_paths[i]);
  // Cursors keep their tags (as after VFP's PACK), unpositioned.
  sets_epoch = next_epoch();
  positions_epoch = next_epoch();
}

void Table::reindex() {
  auto& im = *impl_;
  im.need_writable();
  im.need_exclusive("reindex");
  im.need_index("reindex");
  im.flush();
  im.rebuild_index();
}

void Table::zap() {
  auto& im = *impl_;
  im.need_writable();
  im.need_exclusive("zap");
  im.pending.clear();
  im.win_n = 0;
  im.count = im.disk_count = 0;
  im.stamp();
  im.write_header();
  uint8_t eof = 0x1A;
  im.dbf->write_at(im.hdr.header_len, &eof, 1);
  im.dbf->truncate(uint64_t(im.hdr.header_len) + 1);
  if (im.memo) im.memo->reset();
  im.rebuild_index();
  im.positions_epoch = Impl::next_epoch();
}

void Table::pack() {
  auto& im = *impl_;
  im.need_writable();
  im.need_exclusive("pack");
  im.flush();
  FileSystem& fsys = *im.fs;
  const fs::path tmp = with_suffix(im.path, ".tmp");
  const fs::path mtmp = im.memo ? with_suffix(im.memo_path, ".tmp") : fs::path();
  const size_t rl = im.hdr.record_len;
  uint32_t kept = 0;
  auto drop_temps = [&] {
    try {
      fsys.remove(tmp);
      if (im.memo) fsys.remove(mtmp);
    } catch (...) {
    }
  };
  try {
    auto out = fsys.open(tmp, OpenMode::create);
    std::unique_ptr<memo::MemoFile> mout;
    if (im.memo)
      mout = memo::MemoFile::create(im.memo->kind(), fsys.open(mtmp, OpenMode::create),
                                    im.memo->block_size(), im.path.stem().string(), true);
    dbf::Header nh = im.hdr;
    Date d = im.today();
    std::vector<uint8_t> buf;
    buf.reserve(1 << 20);
    uint64_t off = nh.header_len;
    struct WrittenMemo {
      uint32_t block;
      size_t size;
      size_t hash;
    };
    std::vector<WrittenMemo> written_memos;  // to read back before committing
    for (uint32_t r = 1; r <= im.count; ++r) {
      const uint8_t* src = im.record_bytes(r);
      if (src[0] == '*') continue;
      size_t at = buf.size();
      buf.insert(buf.end(), src, src + rl);
      if (mout) {
        const auto& c = im.ctx(r);
        for (const auto& f : im.fields) {
          if (!Impl::in_memo_file(f, nh.info.format))
            continue;
          uint32_t block = dbf::memo_pointer(f, src, c);
          uint32_t nb = 0;
          if (block) {
            memo::Block b = im.memo->read(block, Location{im.path.string(), {}, r, f.name});
            nb = mout->write(0, b.type, b.data);
            if (nb) written_memos.push_back({nb, b.data.size(), std::hash<std::string>{}(b.data)});
          }
          dbf::set_memo_pointer(f, buf.data() + at, nb);
        }
      }
      ++kept;
      if (buf.size() >= (1u << 20)) {
        out->write_at(off, buf.data(), buf.size());
        off += buf.size();
        buf.clear();
      }
    }
    buf.push_back(0x1A);
    out->write_at(off, buf.data(), buf.size());
    nh.count = kept;
    dbf::stamp_header(nh, nh.info.format, d.year, d.month, d.day);
    out->write_at(0, nh.raw.data(), nh.raw.size());
    if (mout) {
      mout->flush();
      mout->file().sync();
    }
    out->sync();
    // Read the new table back before the originals are given up: a write the file system
    // lost without an error (a dropped write on a network share) must not cost the table.
    std::vector<uint8_t> check(nh.raw.size());
    if (out->size() != uint64_t(nh.header_len) + uint64_t(kept) * rl + 1 ||
        out->read_at(0, check.data(), check.size()) != check.size() || check != nh.raw)
      throw Error(Errc::io, {tmp.string(), {}, {}, {}},
                  "the packed table did not read back as written; the original is unchanged");
    // Through a fresh reader, so that the memo file's header is checked too.
    std::unique_ptr<memo::MemoFile> reread;
    if (mout) {
      std::vector<Warning> ignored;
      try {
        reread = memo::MemoFile::open(mout->kind(), fsys.open(mtmp, OpenMode::read_only), false,
                                      ignored);
      } catch (const Error&) {
      }
      if (!reread || reread->block_size() != mout->block_size())
        throw Error(Errc::io, {mtmp.string(), {}, {}, {}},
                    "the packed memo file's header did not read back as written; the original "
                    "is unchanged");
    }
    for (const auto& w : written_memos) {
      bool same = false;
      try {
        memo::Block b = reread->read(w.block, Location{mtmp.string(), {}, {}, {}});
        same = b.data.size() == w.size && std::hash<std::string>{}(b.data) == w.hash;
      } catch (const Error&) {
      }
      if (!same)
        throw Error(Errc::io, {mtmp.string(), {}, {}, {}},
                    fmt::format("memo block {} of the packed memo file did not read back as "
                                "written; the original is unchanged",
                                w.block));
    }
  } catch (...) {
    drop_temps();
    throw;
  }
  // Swap the files in: originals become .bak first, so that an interruption leaves either
  // the old pair or the new pair (open() puts the .bak pair back when the .dbf is missing).
  const fs::path bak = with_suffix(im.path, ".bak");
  const fs::path mbak = im.memo ? with_suffix(im.memo_path, ".bak") : fs::path();
  // .bak files an earlier pack could not remove are stale (that pack committed): remove them,
  // so that every .bak below is this pack's own and can be rolled back to.
  try {
    if (fsys.exists(bak)) fsys.remove(bak);
    if (!mbak.empty() && fsys.exists(mbak)) fsys.remove(mbak);
  } catch (...) {
    drop_temps();
    throw;
  }
  im.locks.release_use();
  im.dbf.reset();
  im.memo.reset();
  try {
    if (!mbak.empty()) fsys.rename(im.memo_path, mbak);
    fsys.rename(im.path, bak);
    if (!mbak.empty()) fsys.rename(mtmp, im.memo_path);
    fsys.rename(tmp, im.path);
    fsys.sync_dir(im.path.parent_path());
    // A rename the file system lost without an error would leave half a pair.
    if (!fsys.exists(im.path) || (!mbak.empty() && !fsys.exists(im.memo_path)))
      throw Error(Errc::io, {im.path.string(), {}, {}, {}},
                  "pack: the new files are not in place after renaming them");
  } catch (...) {
    // Put the originals back while the file system still answers (after a crash, open() does
    // it instead: it restores the .bak pair when the .dbf is missing).
    try {
      if (fsys.exists(bak)) fsys.rename(bak, im.path);
      if (!mbak.empty() && fsys.exists(mbak)) fsys.rename(mbak, im.memo_path);
      if (fsys.exists(tmp)) fsys.remove(tmp);
      if (!mbak.empty() && fsys.exists(mtmp)) fsys.remove(mtmp);
      fsys.sync_dir(im.path.parent_path());
    } catch (...) {
    }
    // The files are closed: leave this object inert (no records, read-only) rather than
    // pointing at files that may have moved. Reopening restores the .bak pair.
    im.read_only = true;
    im.count = im.disk_count = 0;
    im.win_n = 0;
    throw;
  }
  // Committed: the .bak copies are no longer needed. Failing to remove them loses nothing.
  try {
    fsys.remove(bak);
    if (!mbak.empty()) fsys.remove(mbak);
  } catch (const Error&) {
  }

  // Reopen the new files in place of the old ones.
  OpenOptions o = im.options;
  o.codepage = im.info.codepage;
  const std::vector<fs::path> extras = im.extra_paths;
  auto fresh = Table::open(im.path, o);
  impl_ = std::move(fresh->impl_);
  for (const auto& p : extras) open_index(p);
  // Record numbers changed: every tag is built again (and cursors are unpositioned).
  impl_->rebuild_index();
}

}  // namespace xbase
