// Files that appear complete or not at all: written under a temporary name in the target's
// folder, flushed to disk, then renamed over the target. A crash half-way leaves at most a
// stray ".NAME.tmp-*" file, never a partial file under the final name.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace invoicing::outputs {

// A fresh name beside `target` (".invoice.zip.tmp-1234-1") that no file has.
std::filesystem::path temp_path_beside(const std::filesystem::path& target);

// fsync()s `temp`, renames it to `target` and fsync()s the folder. Throws std::runtime_error
// naming the file when any step fails (the temp file is then removed).
void commit_temp_file(const std::filesystem::path& temp, const std::filesystem::path& target);

// Removes a temp file that will not be committed (a library failed writing it); never throws.
void discard_temp_file(const std::filesystem::path& temp);

// write_file_atomically("out/invoice.pdf", bytes): the whole file or nothing.
void write_file_atomically(const std::filesystem::path& target, std::string_view bytes);

// Like write_file_atomically, but never over an existing file: the bytes go to `wanted`, or
// when that exists to "NAME-2.EXT", "NAME-3.EXT" ...; returns the name written.
std::filesystem::path write_new_file(const std::filesystem::path& wanted, std::string_view bytes);

}  // namespace invoicing::outputs
