// A move of a folder's company under way (`invoicing migrate --data DIR --to ...`): the moving
// program holds MOVING.LCK of the folder locked for the whole copy, so that a program that
// starts meanwhile is told the company is being moved instead of working in a folder whose
// changes would not go along. The lock, not the file, says it: a move that died leaves the
// file unlocked, which counts for nothing (the next move takes it over).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace xbase {
class File;
}

namespace invoicing::store::folder {

inline constexpr const char* kMovingFile = "MOVING.LCK";

class MoveHold {
 public:
  // Takes the folder's move lock and writes `what` ("to the database ... by anna on PC-anna")
  // into the file; UserError when another program moves the company already.
  MoveHold(const std::filesystem::path& dir, const std::string& what);
  ~MoveHold();  // removes the file, then lets the lock go
  MoveHold(const MoveHold&) = delete;
  MoveHold& operator=(const MoveHold&) = delete;

 private:
  std::filesystem::path path_;
  std::unique_ptr<xbase::File> file_;
};

// What another program's move of `dir` says ("to the database ... by anna on PC-anna"), while
// it runs; "" when no move is under way (or when this program is the one moving it).
std::string move_under_way(const std::filesystem::path& dir);

}  // namespace invoicing::store::folder
