// The page's files (HTML, CSS, JavaScript) built into the program from app/web/assets/ by
// embed_assets.cmake: the server answers only for these paths and never opens a file.
#pragma once

#include <cstddef>
#include <string_view>

namespace invoicing::web {

struct Asset {
  const char* path;          // "/app.js": the file's path under assets/
  const char* content_type;  // "text/javascript; charset=utf-8"
  const unsigned char* data;
  std::size_t size;
};

// The asset at exactly this URL path; nullptr when there is none.
const Asset* find_asset(std::string_view path);

}  // namespace invoicing::web
