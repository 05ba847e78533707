# The libraries of the Windows build. Debian packages fmt and Catch2 for the host only, but
# both work header-only: their headers are used from the host's /usr/include through a folder
# holding just them (adding /usr/include itself would pull the host's C library headers into
# the mingw build).
set(host_headers "${PROJECT_BINARY_DIR}/host-headers")
file(MAKE_DIRECTORY "${host_headers}")
foreach(dir fmt catch2)
  if(NOT EXISTS "/usr/include/${dir}")
    message(FATAL_ERROR "/usr/include/${dir} is missing (scripts/install-deps.sh installs it)")
  endif()
  file(CREATE_LINK "/usr/include/${dir}" "${host_headers}/${dir}" SYMBOLIC)
endforeach()

add_library(fmt_header_only INTERFACE)
target_include_directories(fmt_header_only SYSTEM INTERFACE "${host_headers}")
target_compile_definitions(fmt_header_only INTERFACE FMT_HEADER_ONLY)
add_library(fmt::fmt ALIAS fmt_header_only)

add_library(catch2_header_only INTERFACE)
target_include_directories(catch2_header_only SYSTEM INTERFACE "${host_headers}")
add_library(Catch2::Catch2 ALIAS catch2_header_only)
