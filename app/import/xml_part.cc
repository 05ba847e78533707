#include "import/xml_part.h"

#include <fmt/format.h>

#include <cstring>

namespace invoicing::import {

namespace {
// Namespace processing is left off (it costs expat a third of its time on a large sheet):
// elements and attributes are known by the name after their prefix ("x:row" is "row").
std::string_view local_name(const char* name) {
  const char* local = name;
  for (const char* p = name; *p; ++p) {
    if (*p == ':') local = p + 1;
  }
  return local;
}
}  // namespace

XmlPart::XmlPart(const ZipArchive& archive, const std::string& part, const ReadLimits& limits)
    : part_(archive, part, limits), display_(archive.display()) {
  parser_ = XML_ParserCreate(nullptr);
  if (!parser_) throw ImportError("out of memory for the XML parser");
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, start_handler, end_handler);
  XML_SetCharacterDataHandler(parser_, text_handler);
  XML_SetStartDoctypeDeclHandler(parser_, doctype_handler);
}

XmlPart::~XmlPart() {
  if (parser_) XML_ParserFree(parser_);
}

const char* XmlPart::attr(const char** attrs, std::string_view local) {
  for (int i = 0; attrs[i]; i += 2) {
    if (local_name(attrs[i]) == local) return attrs[i + 1];
  }
  return nullptr;
}

ImportError XmlPart::error(const std::string& why) const {
  return ImportError(fmt::format("{}: {}: {} (line {})", display_, part_.name(), why,
                                 XML_GetCurrentLineNumber(parser_)));
}

void XmlPart::stop(std::exception_ptr e) {
  if (!failure_) failure_ = e;
  XML_StopParser(parser_, XML_FALSE);
}

// The handlers run inside expat (C): an exception must not cross it, so it is kept and
// thrown again once XML_Parse has returned.
void XMLCALL XmlPart::start_handler(void* self, const XML_Char* name, const XML_Char** attrs) {
  auto* p = static_cast<XmlPart*>(self);
  try {
    p->on_start(local_name(name), attrs);
  } catch (...) {
    p->stop(std::current_exception());
  }
}

void XMLCALL XmlPart::end_handler(void* self, const XML_Char* name) {
  auto* p = static_cast<XmlPart*>(self);
  try {
    p->on_end(local_name(name));
  } catch (...) {
    p->stop(std::current_exception());
  }
}

void XMLCALL XmlPart::text_handler(void* self, const XML_Char* s, int len) {
  auto* p = static_cast<XmlPart*>(self);
  try {
    p->on_text(std::string_view(s, static_cast<size_t>(len)));
  } catch (...) {
    p->stop(std::current_exception());
  }
}

void XMLCALL XmlPart::doctype_handler(void* self, const XML_Char*, const XML_Char*, const XML_Char*,
                                      int) {
  auto* p = static_cast<XmlPart*>(self);
  p->stop(std::make_exception_ptr(p->error("has a DTD, which spreadsheet files never have")));
}

bool XmlPart::step() {
  if (done_) return false;
  char buf[1 << 16];
  size_t n = part_.read(buf, sizeof buf);
  bool last = n == 0;
  XML_Status st = XML_Parse(parser_, buf, static_cast<int>(n), last ? XML_TRUE : XML_FALSE);
  if (failure_) std::rethrow_exception(failure_);
  if (st != XML_STATUS_OK) {
    throw error(fmt::format("is broken: {}", XML_ErrorString(XML_GetErrorCode(parser_))));
  }
  if (last) done_ = true;
  return !done_;
}

}  // namespace invoicing::import
