// Delimited text files (CSV, TXT): RFC 4180 quoting, the separator and the encoding detected.
//
// Written here rather than taken from a library: the parsing itself is small, and it has to
// stream (a record at a time, flat memory) behind encoding detection and decoding to UTF-8,
// which the CSV libraries packaged in Debian leave to the caller.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "import/sheet.h"
#include "import/text_encoding.h"

namespace invoicing::import {

class CsvReader : public SheetReader {
 public:
  // Throws ImportError (binary file, mixed encodings, unreadable).
  CsvReader(const std::filesystem::path& path, const ReadOptions& options);

  bool next(SheetRow& row) override;
  const SourceFormat& format() const override { return format_; }
  ReadProgress progress() const override { return {bytes_read_, size_}; }

 private:
  enum class Parse { record, need_more, end };
  Parse parse_record(SheetRow& row);
  bool fill();  // decodes the next chunk into text_; false at the end of the file
  char detect_separator() const;

  std::string name_;
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Closer> file_;
  uint64_t size_ = 0;
  uint64_t bytes_read_ = 0;
  ReadLimits limits_;
  SourceFormat format_;
  char sep_ = 0;
  std::unique_ptr<TextDecoder> decoder_;
  std::string text_;  // decoded UTF-8 not yet parsed, from pos_ on
  size_t pos_ = 0;
  bool eof_ = false;
  uint64_t line_ = 1;  // the line at pos_
};

}  // namespace invoicing::import
