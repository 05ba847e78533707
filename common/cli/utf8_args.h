// The program's arguments as UTF-8 on every platform. On Windows main()'s argv is in the ANSI
// codepage, which cannot hold every name (a folder named `Łódź` arrives as `Lódz`): there the
// arguments are taken once from the wide command line (GetCommandLineW) and made UTF-8, and
// console output is set to UTF-8 (what the programs write) until the object goes: the code
// page belongs to the console, which outlives the program.
#pragma once

#include <string>
#include <vector>

namespace common::cli {

class Utf8Args {
 public:
  Utf8Args(int argc, char** argv);
  ~Utf8Args();
  Utf8Args(const Utf8Args&) = delete;
  Utf8Args& operator=(const Utf8Args&) = delete;
  int argc() const { return int(args_.size()); }
  char** argv() { return pointers_.data(); }  // argv()[argc()] is nullptr, as in main()

 private:
  std::vector<std::string> args_;
  std::vector<char*> pointers_;
  unsigned console_codepage_ = 0;  // Windows: the console's output code page before
};

}  // namespace common::cli
