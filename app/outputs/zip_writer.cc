#include "outputs/zip_writer.h"

#include <zip.h>

#include <stdexcept>

#include "outputs/atomic_file.h"

namespace invoicing::outputs {

ZipWriter::ZipWriter(std::filesystem::path target) : target_(std::move(target)) {
  temp_ = temp_path_beside(target_);
  int error = 0;
  zip_ = zip_open(temp_.c_str(), ZIP_CREATE | ZIP_EXCL, &error);
  if (!zip_) {
    zip_error_t e;
    zip_error_init_with_code(&e, error);
    std::string msg = target_.string() + ": cannot start the ZIP: " + zip_error_strerror(&e);
    zip_error_fini(&e);
    throw std::runtime_error(msg);
  }
}

ZipWriter::~ZipWriter() {
  if (zip_) zip_discard(zip_);
  std::error_code ec;
  std::filesystem::remove(temp_, ec);
}

void ZipWriter::add(const std::string& name, std::string bytes) {
  if (!zip_) throw std::runtime_error(target_.string() + ": the ZIP is finished already");
  bytes_.push_back(std::move(bytes));
  const std::string& b = bytes_.back();
  zip_source_t* src = zip_source_buffer(zip_, b.data(), b.size(), 0);
  if (!src) throw std::runtime_error(target_.string() + ": " + zip_strerror(zip_));
  const zip_int64_t index = zip_file_add(zip_, name.c_str(), src, ZIP_FL_ENC_UTF_8);
  if (index < 0) {
    zip_source_free(src);
    bytes_.pop_back();
    throw std::runtime_error(target_.string() + ": entry " + name + ": " + zip_strerror(zip_));
  }
  ++count_;
  const bool pdf = name.size() >= 4 && name.compare(name.size() - 4, 4, ".pdf") == 0;
  zip_set_file_compression(zip_, static_cast<zip_uint64_t>(index), pdf ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
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
  bytes_.clear();
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
