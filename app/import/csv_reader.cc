#include "import/csv_reader.h"

#include <fmt/format.h>

#include <vector>

namespace invoicing::import {

namespace {
constexpr size_t kChunk = 1 << 16;
}

CsvReader::CsvReader(const std::filesystem::path& path, const ReadOptions& options)
    : name_(path.filename().string()), limits_(options.limits) {
  file_.reset(std::fopen(path.c_str(), "rb"));  // the user's input file, only read
  if (!file_) throw ImportError(fmt::format("{}: cannot be opened", path.string()));
  std::error_code ec;
  size_ = std::filesystem::file_size(path, ec);
  TextEncoding enc = detect_encoding(file_.get(), size_, name_, options.encoding);
  format_.type = "csv";
  format_.encoding = encoding_name(enc);
  decoder_ = std::make_unique<TextDecoder>(enc, name_);
  std::fseek(file_.get(), bom_length(enc), SEEK_SET);
  bytes_read_ = bom_length(enc);
  // The separator is guessed from the first records: read at least a chunk of them.
  while (text_.size() < kChunk && fill()) {
  }
  sep_ = options.separator ? options.separator : detect_separator();
  format_.separator = sep_;
}

bool CsvReader::fill() {
  if (eof_) return false;
  char buf[kChunk];
  size_t n = std::fread(buf, 1, sizeof buf, file_.get());
  if (std::ferror(file_.get())) throw ImportError(fmt::format("{}: read error", name_));
  bytes_read_ += n;
  bool last = n < sizeof buf;
  if (last) eof_ = true;
  size_t before = text_.size();
  decoder_->decode(std::string_view(buf, n), last, text_);
  // The DOS end-of-file mark some old programs put after the last line.
  if (last && text_.size() > before && text_.back() == '\x1A') text_.pop_back();
  return n > 0 || text_.size() > before;
}

// The candidate that splits the header most: the first line (of the first ten) that any
// candidate splits, so that a title line above the table does not decide. On a tie ';'
// (what Belgian and Dutch Excel writes), then tab, then ','.
char CsvReader::detect_separator() const {
  const char candidates[] = {';', '\t', ','};
  size_t counts[3] = {0, 0, 0};
  bool quoted = false;
  int lines = 0;
  for (size_t i = pos_; i < text_.size() && lines < 10; ++i) {
    char c = text_[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') {
      if (counts[0] + counts[1] + counts[2] > 0) break;
      lines += c == '\n';
      continue;
    }
    for (int k = 0; k < 3; ++k) counts[k] += c == candidates[k];
  }
  int best = -1;
  for (int k = 0; k < 3; ++k) {
    if (counts[k] > 0 && (best < 0 || counts[k] > counts[best])) best = k;
  }
  return best < 0 ? 0 : candidates[best];
}

CsvReader::Parse CsvReader::parse_record(SheetRow& row) {
  row.cells.clear();
  row.number = line_;
  size_t i = pos_;
  uint64_t lines = 0;
  std::string field;
  bool field_started = false;  // the field was quoted (so it counts even when empty)
  auto push = [&] {
    if (row.cells.size() >= limits_.max_columns) {
      throw ImportError(
          fmt::format("{}: line {}: more than {} columns", name_, row.number, limits_.max_columns));
    }
    Cell cell;
    if (!field.empty()) {
      cell.kind = CellKind::text;
      cell.value = std::move(field);
    }
    row.cells.push_back(std::move(cell));
    field.clear();
    field_started = false;
  };
  const size_t end = text_.size();
  if (i == end) return eof_ ? Parse::end : Parse::need_more;
  while (true) {
    if (i - pos_ > limits_.max_record_bytes) {
      throw ImportError(
          fmt::format("{}: line {}: a record longer than {} bytes (a quote that is never closed?)",
                      name_, row.number, limits_.max_record_bytes));
    }
    if (i == end) {
      if (!eof_) return Parse::need_more;
      push();
      break;
    }
    char c = text_[i];
    if (c == '"' && field.empty() && !field_started) {
      // A quoted field: up to the closing quote, "" standing for one quote.
      field_started = true;
      ++i;
      for (;;) {
        if (i == end) {
          if (!eof_) return Parse::need_more;
          throw ImportError(
              fmt::format("{}: line {}: a quoted field is not closed by the end of the file", name_,
                          row.number));
        }
        if (i - pos_ > limits_.max_record_bytes) break;  // reported above
        char q = text_[i];
        if (q == '"') {
          if (i + 1 == end && !eof_) return Parse::need_more;
          if (i + 1 < end && text_[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (q == '\n') ++lines;
        field += q;
        ++i;
      }
      continue;  // what follows the closing quote is taken as it is, up to a separator
    }
    if (c == sep_ && sep_ != 0) {
      push();
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 == end && !eof_) return Parse::need_more;
      i += (c == '\r' && i + 1 < end && text_[i + 1] == '\n') ? 2 : 1;
      ++lines;
      push();
      break;
    }
    field += c;
    ++i;
  }
  pos_ = i;
  line_ += lines;
  return Parse::record;
}

bool CsvReader::next(SheetRow& row) {
  for (;;) {
    Parse p = parse_record(row);
    if (p == Parse::end) return false;
    if (p == Parse::need_more) {
      text_.erase(0, pos_);
      pos_ = 0;
      fill();
      continue;
    }
    for (const Cell& c : row.cells) {
      if (c.kind != CellKind::empty) return true;
    }
    // A blank line or a line of separators only: skipped.
  }
}

}  // namespace invoicing::import
