// One XML part of an XLSX file parsed as a stream with expat: chunk by chunk, elements and
// attributes by their local name (whatever prefix the writer chose). Documents
// with a DTD are refused: OOXML has none, and entity tricks live there.
#pragma once

#include <expat.h>

#include <exception>
#include <string>
#include <string_view>

#include "import/zip_archive.h"

namespace invoicing::import {

class XmlPart {
 public:
  XmlPart(const ZipArchive& archive, const std::string& part, const ReadLimits& limits);
  virtual ~XmlPart();
  XmlPart(const XmlPart&) = delete;
  XmlPart& operator=(const XmlPart&) = delete;

  // Parses the next chunk of the part; false once all of it was parsed. Throws ImportError
  // naming the file, the part and the line for XML that is not well-formed.
  bool step();
  void run() {
    while (step()) {
    }
  }
  uint64_t bytes_read() const { return part_.bytes_read(); }
  uint64_t declared_size() const { return part_.declared_size(); }

 protected:
  virtual void on_start(std::string_view name, const char** attrs) = 0;
  virtual void on_end(std::string_view name) = 0;
  virtual void on_text(std::string_view) {}

  // The value of the attribute with this local name, or nullptr.
  static const char* attr(const char** attrs, std::string_view local);
  // An ImportError naming the file, the part and the current line.
  ImportError error(const std::string& why) const;

 private:
  static void XMLCALL start_handler(void* self, const XML_Char* name, const XML_Char** attrs);
  static void XMLCALL end_handler(void* self, const XML_Char* name);
  static void XMLCALL text_handler(void* self, const XML_Char* s, int len);
  static void XMLCALL doctype_handler(void* self, const XML_Char*, const XML_Char*, const XML_Char*,
                                      int);
  void stop(std::exception_ptr e);

  ZipPart part_;
  std::string display_;
  XML_Parser parser_ = nullptr;
  std::exception_ptr failure_;
  bool done_ = false;
};

}  // namespace invoicing::import
