// The delivery log support asks for: one line per delivered file and per failure, in the data
// folder's logs/delivery.log, rotated when it passes the setting delivery_log_kb
// (delivery.log.1 is the newest old one; 5 are kept). A log that cannot be written never stops
// a delivery: the first problem is said on stderr.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace invoicing::delivery {

inline constexpr int kLogsKept = 5;

class DeliveryLog {
 public:
  DeliveryLog(std::filesystem::path file, uintmax_t max_bytes, std::string who);
  // "2026-12-03T08:41:07Z anna@PC-anna TEXT".
  void write(const std::string& text);
  const std::filesystem::path& file() const { return file_; }

 private:
  void rotate();
  std::filesystem::path file_;
  uintmax_t max_bytes_;
  std::string who_;
  bool warned_ = false;
};

}  // namespace invoicing::delivery
