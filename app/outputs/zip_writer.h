// ZIP archives of documents (the period export for the accountant), with libzip. Entries are
// added from memory and go straight to a spool file beside the target (libzip reads its
// entries only when the archive is written), so an export of thousands of documents holds
// one document in memory, not all of them. The archive is written under a temporary name
// beside the target and renamed when complete, so a crash never leaves a partial ZIP under
// the final name.
#pragma once

#include <cstdint>
#include <memory>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "outputs/document_data.h"

typedef struct zip zip_t;

namespace invoicing::outputs {

struct SpooledEntry;  // where an entry's bytes lie in the spool (zip_writer.cc)

class ZipWriter {
 public:
  // Throws std::runtime_error naming the file when the temp file cannot be created.
  explicit ZipWriter(std::filesystem::path target);
  // Without finish(): the temp file is removed and the target is left as it was.
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // Adds an entry (UTF-8 name, '/' for folders). PDFs are stored as they are (their streams
  // are compressed already), everything else is deflated. Throws when the name is taken, or
  // naming the file when the spool cannot be written (disk full).
  void add(const std::string& name, std::string_view bytes);
  // Writes the archive and renames it to the target. Throws naming the file on failure.
  void finish();

  size_t entries() const { return count_; }

 private:
  std::filesystem::path target_, temp_;
  zip_t* zip_ = nullptr;
  int spool_ = -1;  // an unnamed file beside the target, gone when closed
  uint64_t spooled_ = 0;
  std::vector<std::unique_ptr<SpooledEntry>> entries_;  // libzip reads the entries only at finish()
  size_t count_ = 0;
};

// "invoice-2026-0042.pdf" for extension "pdf".
std::string zip_entry_name(const DocumentData& doc, std::string_view extension);

}  // namespace invoicing::outputs
