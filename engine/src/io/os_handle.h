// The descriptor of a file of the real file system, for the few calls the File interface does
// not carry (flock(), which belongs to the open file description: taken on the table's own
// descriptor it needs no second open of the file).
#pragma once

#include <compare>
#include <cstdint>

#include "xbase/file.h"

namespace xbase {

// A File that forwards to another one (a transaction's staging layer, journal/staged_file.h):
// posix_descriptor looks through it, so the layers below the journal need not know it.
class FileWrapper {
 public:
  virtual File& wrapped() = 0;

 protected:
  ~FileWrapper() = default;
};

// The POSIX descriptor of a file FileSystem::os() opened (also through wrappers), or -1 for
// any other File (a test file system). Not defined on Windows.
int posix_descriptor(File& f);
// What the open of such a file found of the file system holding it: its device number and its
// preferred I/O size (st_dev, st_blksize: 1 MiB on a cifs mount, 4 KiB on local file systems),
// or nothing for any other File.
struct FileSystemMark {
  uint64_t device = 0;
  uint64_t block_size = 0;
  auto operator<=>(const FileSystemMark&) const = default;
};
std::optional<FileSystemMark> posix_file_system(File& f);

}  // namespace xbase
