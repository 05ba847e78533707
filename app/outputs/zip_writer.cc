#include "outputs/zip_writer.h"

#include <fcntl.h>
#include <unistd.h>
#include <zip.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "outputs/atomic_file.h"

namespace invoicing::outputs {

namespace {

// An unnamed file in `folder` (O_TMPFILE), else a named one removed at once: the spool of
// the entries' compressed bytes, never published (the archive itself is committed through
// commit_temp_file, on the engine's FileSystem).
int open_spool(const std::filesystem::path& folder, const std::filesystem::path& target) {
  int fd = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  std::string name = temp_path_beside(target).string() + ".spool";
  fd = ::open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error(target.string() + ": cannot start the ZIP: " + std::strerror(errno));
  ::unlink(name.c_str());
  return fd;
}

}  // namespace

// Where an entry's bytes lie in the spool, and how far libzip has read them.
struct SpooledEntry {
  int fd = -1;
  uint64_t offset = 0, size = 0, read = 0;
  time_t mtime = 0;
  zip_error_t error;
};

namespace {

// libzip's view of one spooled entry (a zip_source_function callback).
zip_int64_t spooled_source(void* entry, void* data, zip_uint64_t length, zip_source_cmd_t command) {
  auto& e = *static_cast<SpooledEntry*>(entry);
  switch (command) {
    case ZIP_SOURCE_OPEN:
      e.read = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      const uint64_t n = std::min<uint64_t>(length, e.size - e.read);
      uint64_t done = 0;
      while (done < n) {
        const ssize_t got = ::pread(e.fd, static_cast<char*>(data) + done, n - done, static_cast<off_t>(e.offset + e.read + done));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
          zip_error_set(&e.error, ZIP_ER_READ, got < 0 ? errno : EIO);
          return -1;
        }
        done += static_cast<uint64_t>(got);
      }
      e.read += n;
      return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_FREE:
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->size = e.size;
      st->mtime = e.mtime;
      st->valid |= ZIP_STAT_SIZE | ZIP_STAT_MTIME;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&e.error, data, length);
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      zip_error_set(&e.error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
  }
}

}  // namespace

ZipWriter::ZipWriter(std::filesystem::path target) : target_(std::move(target)) {
  temp_ = temp_path_beside(target_);
  const std::filesystem::path folder = target_.parent_path().empty() ? "." : target_.parent_path();
  spool_ = open_spool(folder, target_);
  int error = 0;
  zip_ = zip_open(temp_.c_str(), ZIP_CREATE | ZIP_EXCL, &error);
  if (!zip_) {
    ::close(spool_);
    zip_error_t e;
    zip_error_init_with_code(&e, error);
    std::string msg = target_.string() + ": cannot start the ZIP: " + zip_error_strerror(&e);
    zip_error_fini(&e);
    throw std::runtime_error(msg);
  }
}

ZipWriter::~ZipWriter() {
  if (zip_) zip_discard(zip_);
  for (auto& e : entries_) zip_error_fini(&e->error);
  if (spool_ >= 0) ::close(spool_);
  discard_temp_file(temp_);
}

void ZipWriter::add(const std::string& name, std::string_view bytes) {
  if (!zip_) throw std::runtime_error(target_.string() + ": the ZIP is finished already");
  if (zip_name_locate(zip_, name.c_str(), ZIP_FL_ENC_UTF_8) >= 0)
    throw std::runtime_error(target_.string() + ": entry " + name + ": the name is taken");
  const uint64_t offset = spooled_;
  for (size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::pwrite(spool_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error(target_.string() + ": entry " + name + " cannot be written: " + std::strerror(n < 0 ? errno : EIO));
    done += static_cast<size_t>(n);
  }
  SpooledEntry& e = *entries_.emplace_back(std::make_unique<SpooledEntry>());
  e.fd = spool_;
  e.offset = offset;
  e.size = bytes.size();
  e.mtime = std::time(nullptr);
  zip_error_init(&e.error);
  zip_source_t* src = zip_source_function(zip_, spooled_source, &e);
  if (!src) {
    zip_error_fini(&e.error);
    entries_.pop_back();
    throw std::runtime_error(target_.string() + ": " + zip_strerror(zip_));
  }
  const zip_int64_t index = zip_file_add(zip_, name.c_str(), src, ZIP_FL_ENC_UTF_8);
  if (index < 0) {
    zip_source_free(src);
    zip_error_fini(&e.error);
    entries_.pop_back();
    throw std::runtime_error(target_.string() + ": entry " + name + ": " + zip_strerror(zip_));
  }
  spooled_ += bytes.size();
  ++count_;
  const bool pdf = name.size() >= 4 && name.compare(name.size() - 4, 4, ".pdf") == 0;
  // Deflate level 1: most of an e-invoice is its PDF in base64, which higher levels hardly
  // shrink further (1,000 invoices: 84.1 MB at level 1, 82.6 MB at 6, 7 % more CPU).
  zip_set_file_compression(zip_, static_cast<zip_uint64_t>(index), pdf ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 1);
}

void ZipWriter::finish() {
  if (!zip_) throw std::runtime_error(target_.string() + ": the ZIP is finished already");
  if (zip_close(zip_) != 0) {
    std::string msg = target_.string() + ": the ZIP cannot be written: " + zip_strerror(zip_);
    zip_discard(zip_);
    zip_ = nullptr;
    throw std::runtime_error(msg);
  }
  zip_ = nullptr;
  ::close(spool_);
  spool_ = -1;
  if (!std::filesystem::exists(temp_)) {
    // libzip writes nothing for an archive without entries; an empty ZIP is still a file.
    static const char empty[22] = {'P', 'K', 5, 6};
    write_file_atomically(target_, std::string_view(empty, sizeof empty));
    return;
  }
  commit_temp_file(temp_, target_);
}

std::string zip_entry_name(const DocumentData& doc, std::string_view extension) {
  return document_file_stem(doc) + "." + std::string(extension);
}

}  // namespace invoicing::outputs
