// A folder or file as an absolute, normalized path, UNC paths included.
#pragma once

#include <filesystem>

namespace xbase {

// std::filesystem::absolute(p).lexically_normal() on POSIX. On Windows GetFullPathNameW:
// mingw-w64's std::filesystem (GCC 12) knows no UNC root name, so absolute() turns
// \\server\share\dir into C:\server\share\dir and lexically_normal() into \server\share\dir.
std::filesystem::path absolute_path(const std::filesystem::path& p);

}  // namespace xbase
