#include "backup/archive.h"

#include <fmt/format.h>
#include <zip.h>

#include <map>

#include "backup/file_hash.h"
#include "backup/names.h"
#include "backup/utf8_path.h"
#include "store/errors.h"
#include "xbase/file.h"
#include "xbase/absolute_path.h"

namespace fs = std::filesystem;
using invoicing::store::UserError;

namespace invoicing::backup {

struct BackupArchive::Impl {
  zip_t* za = nullptr;
  std::string bytes;  // open_memory: kept alive for libzip
  std::map<std::string, zip_uint64_t> index;
  ~Impl() {
    if (za) zip_discard(za);
  }
};

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string zip_error_text(int code) {
  zip_error_t e;
  zip_error_init_with_code(&e, code);
  std::string t = zip_error_strerror(&e);
  zip_error_fini(&e);
  return t;
}

}  // namespace

BackupArchive::BackupArchive(std::unique_ptr<Impl> im) : im_(std::move(im)) {}
BackupArchive::~BackupArchive() = default;

std::unique_ptr<BackupArchive> BackupArchive::open_file(const fs::path& zip, const ArchiveLimits& l) {
  auto im = std::make_unique<Impl>();
  int err = 0;
  im->za = zip_open(utf8_of(zip).c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (!im->za) throw UserError(fmt::format("{} is not a readable ZIP file: {}", zip.string(), zip_error_text(err)));
  std::unique_ptr<BackupArchive> a(new BackupArchive(std::move(im)));
  a->label_ = zip.string();
  a->limits_ = l;
  a->check_entries();
  return a;
}

std::unique_ptr<BackupArchive> BackupArchive::open_memory(std::string bytes, const ArchiveLimits& l) {
  auto im = std::make_unique<Impl>();
  im->bytes = std::move(bytes);
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t* src = zip_source_buffer_create(im->bytes.data(), im->bytes.size(), 0, &ze);
  if (src) {
    im->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!im->za) zip_source_free(src);
  }
  std::string why = zip_error_strerror(&ze);
  zip_error_fini(&ze);
  if (!im->za) throw UserError("the backup is not a readable ZIP file: " + why);
  std::unique_ptr<BackupArchive> a(new BackupArchive(std::move(im)));
  a->label_ = "the backup";
  a->limits_ = l;
  a->check_entries();
  return a;
}

void BackupArchive::check_entries() {
  auto refuse = [&](const std::string& why) { throw UserError(fmt::format("{} is refused: {}", label_, why)); };
  zip_int64_t n = zip_get_num_entries(im_->za, 0);
  if (n < 0) refuse("its directory cannot be read");
  if (uint64_t(n) > limits_.max_entries + 1)
    refuse(fmt::format("it has {} entries, more than the {} a backup may have", n, limits_.max_entries));
  std::map<std::string, std::string> folded;  // lower case -> name: one name in two cases collides on Windows
  uint64_t total = 0;
  bool manifest = false;
  ArchiveEntry manifest_entry;
  for (zip_uint64_t i = 0; i < zip_uint64_t(n); ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(im_->za, i, ZIP_FL_ENC_RAW, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
      refuse(fmt::format("entry {} cannot be read", i));
    std::string name = st.name;
    if (name.find('\0') != std::string::npos) refuse("an entry name holds a NUL byte");
    if (auto why = entry_name_problem(name); !why.empty())
      refuse(fmt::format("the entry \"{}\" has {}", fmt::format("{:.200}", name), why));
    if (!folded.emplace(lower(name), name).second)
      refuse(fmt::format("the entry \"{}\" is there twice (perhaps in another case)", name));
    zip_uint8_t opsys = 0;
    zip_uint32_t attr = 0;
    if (zip_file_get_external_attributes(im_->za, i, 0, &opsys, &attr) == 0 && opsys == ZIP_OPSYS_UNIX) {
      // The Unix mode bits of the ZIP format (the host's S_IF* are not on every platform).
      const uint32_t mode = (attr >> 16) & 0170000;
      if (mode == 0120000) refuse(fmt::format("the entry \"{}\" is a symbolic link", name));
      if (mode != 0 && mode != 0100000) refuse(fmt::format("the entry \"{}\" is not a plain file", name));
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
      refuse(fmt::format("the entry \"{}\" is encrypted", name));
    if (!(st.valid & ZIP_STAT_COMP_METHOD) || (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE))
      refuse(fmt::format("the entry \"{}\" uses a compression method a backup does not use", name));
    if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) refuse(fmt::format("the entry \"{}\" has no size", name));
    if (st.size > limits_.max_entry_bytes)
      refuse(fmt::format("the entry \"{}\" unpacks to {} bytes, more than a backup file may have", name, st.size));
    total += st.size;
    if (total > limits_.max_total_bytes)
      refuse(fmt::format("its entries unpack to more than {} bytes", limits_.max_total_bytes));
    if (st.size > limits_.ratio_from && (st.comp_size == 0 || st.size / st.comp_size > limits_.max_ratio))
      refuse(fmt::format("the entry \"{}\" is compressed more than {} to 1 (a ZIP bomb?)", name, limits_.max_ratio));
    im_->index[name] = i;
    if (name == kManifestName) {
      manifest = true;
      manifest_entry = {name, st.size, st.comp_size};
    } else {
      entries_.push_back({name, st.size, st.comp_size});
    }
  }
  if (!manifest) refuse("it has no manifest.json: it is not a backup of this program");
  if (manifest_entry.size > limits_.max_manifest_bytes) refuse("its manifest is too large");
  std::string text;
  read(kManifestName, [&](const char* p, size_t k) {
    if (text.size() + k > limits_.max_manifest_bytes) refuse("its manifest is too large");
    text.append(p, k);
  });
  try {
    manifest_ = parse_manifest(text, limits_.max_entry_bytes);
  } catch (const UserError& e) {
    refuse(e.what());
  }
  for (const auto& e : entries_) {
    const ManifestFile* f = manifest_.file(e.name);
    if (!f) refuse(fmt::format("the entry \"{}\" is not in its manifest", e.name));
    if (f->size != e.size)
      refuse(fmt::format("the entry \"{}\" has {} bytes, its manifest says {}", e.name, e.size, f->size));
  }
  if (manifest_.files.size() != entries_.size())
    for (const auto& f : manifest_.files)
      if (!im_->index.count(f.name)) refuse(fmt::format("the file \"{}\" of its manifest is missing", f.name));
}

void BackupArchive::read(const std::string& name, const std::function<void(const char*, size_t)>& sink) {
  auto it = im_->index.find(name);
  if (it == im_->index.end()) throw UserError(fmt::format("{} has no entry {}", label_, name));
  zip_stat_t st;
  zip_stat_init(&st);
  zip_stat_index(im_->za, it->second, 0, &st);
  zip_file_t* zf = zip_fopen_index(im_->za, it->second, 0);
  if (!zf) throw UserError(fmt::format("{}: the entry {} cannot be read: {}", label_, name, zip_strerror(im_->za)));
  Sha256 h;
  uint64_t got = 0;
  std::vector<char> buf(1 << 16);
  std::string failure;
  for (;;) {
    zip_int64_t k = zip_fread(zf, buf.data(), buf.size());
    if (k < 0) {
      failure = zip_file_strerror(zf);
      break;
    }
    if (k == 0) break;
    got += uint64_t(k);
    if (got > st.size) {
      failure = "it holds more bytes than its header says";
      break;
    }
    h.add(buf.data(), size_t(k));
    sink(buf.data(), size_t(k));
  }
  zip_fclose(zf);
  if (failure.empty() && got != st.size) failure = fmt::format("it holds {} bytes, its header says {}", got, st.size);
  if (!failure.empty()) throw UserError(fmt::format("{}: the entry {} is damaged ({})", label_, name, failure));
  if (name == kManifestName) return;
  const ManifestFile* f = manifest_.file(name);
  if (f && f->sha256 != h.hex())
    throw UserError(fmt::format("{}: the entry {} does not match its SHA-256 in the manifest (changed or damaged)",
                                label_, name));
}

void BackupArchive::extract_all(const fs::path& to) {
  const fs::path root = xbase::absolute_path(to);
  for (const auto& e : entries_) {
    const fs::path dest = xbase::absolute_path(root / path_of_utf8(e.name));
    // Names were checked; this is the last guard that nothing lands outside `to`.
    auto rel = dest.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..") throw UserError(fmt::format("{}: the entry {} leaves the folder", label_, e.name));
    auto& fsys = xbase::FileSystem::os();
    fsys.create_directories(dest.parent_path());
    auto out = fsys.open(dest, xbase::OpenMode::create);
    uint64_t at = 0;
    read(e.name, [&](const char* p, size_t k) {
      out->write_at(at, p, k);
      at += k;
    });
    // Durable before the restore swaps the folder in (the swap's mark is synced after it).
    out->sync();
  }
}

}  // namespace invoicing::backup
