// The descriptor of a file of the real file system, for the few calls the File interface does
// not carry (flock(), which belongs to the open file description: taken on the table's own
// descriptor it needs no second open of the file).
#pragma once

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

}  // namespace xbase
