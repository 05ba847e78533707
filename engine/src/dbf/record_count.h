// How many records a DBF holds (reference 7, row 1): the header's count when the end-of-file
// marker follows it (what lies beyond is not records), otherwise what the size holds, never
// more. One rule for opening a table, refreshing its count in shared use, and repairing it.
#pragma once

#include <cstdint>

#include "xbase/file.h"

namespace xbase::dbf {

struct RecordCount {
  uint64_t count = 0;    // the records
  uint64_t by_size = 0;  // whole records the size holds
  bool marked = false;   // the header's count is followed by the end-of-file marker
  uint64_t end = 0;      // offset just past the last record
  // Bytes after the last record: the marker (1, when all is well), more after a marker, or
  // part of a record cut short.
  uint64_t tail = 0;
};

// `size`: the file's size; `header_count`: the count the header stores.
RecordCount count_records(File& f, uint64_t header_len, uint64_t record_len, uint64_t size,
                          uint64_t header_count);

}  // namespace xbase::dbf
