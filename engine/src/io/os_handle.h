// The descriptor of a file of the real file system, for the few calls the File interface does
// not carry (flock(), which belongs to the open file description: taken on the table's own
// descriptor it needs no second open of the file).
#pragma once

#include "xbase/file.h"

namespace xbase {

// The POSIX descriptor of a file FileSystem::os() opened, or -1 for any other File (a
// wrapper, a test file system). Not defined on Windows.
int posix_descriptor(File& f);

}  // namespace xbase
