# The libraries of the Windows build. Debian packages fmt, Catch2, nlohmann-json and Boost for the host only, but
# they work header-only: their headers are used from the host's /usr/include through a folder
# holding just them (adding /usr/include itself would pull the host's C library headers into
# the mingw build).
set(host_headers "${PROJECT_BINARY_DIR}/host-headers")
file(MAKE_DIRECTORY "${host_headers}")
foreach(dir fmt catch2 nlohmann boost)
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

add_library(nlohmann_json_host INTERFACE)
target_include_directories(nlohmann_json_host SYSTEM INTERFACE "${host_headers}")
add_library(nlohmann_json::nlohmann_json ALIAS nlohmann_json_host)

add_library(boost_headers_host INTERFACE)  # the engine uses Boost.Container's small_vector
target_include_directories(boost_headers_host SYSTEM INTERFACE "${host_headers}")
add_library(Boost::headers ALIAS boost_headers_host)

# invoicing.exe's libraries that Debian has for the host only (libsodium, pugixml, libzip):
# built once from Debian's source tarballs into build/windows/third-party/install by
# scripts/windows_libraries.sh (pinned URLs and sha256; quick when they are there already).
set(windows_prefix "${PROJECT_BINARY_DIR}/third-party/install")
execute_process(
  COMMAND "${PROJECT_SOURCE_DIR}/scripts/windows_libraries.sh" "${PROJECT_BINARY_DIR}" "${CMAKE_TOOLCHAIN_FILE}"
  RESULT_VARIABLE windows_libraries_result)
if(NOT windows_libraries_result EQUAL 0)
  message(FATAL_ERROR "scripts/windows_libraries.sh failed (${windows_libraries_result})")
endif()

# The same target names the Linux build gets from pkg-config and find_package. Static
# libraries: SODIUM_STATIC and ZIP_STATIC keep their headers from declaring DLL imports.
add_library(PkgConfig::SODIUM STATIC IMPORTED)
set_target_properties(PkgConfig::SODIUM PROPERTIES IMPORTED_LOCATION "${windows_prefix}/lib/libsodium.a"
  INTERFACE_INCLUDE_DIRECTORIES "${windows_prefix}/include" INTERFACE_COMPILE_DEFINITIONS SODIUM_STATIC)
add_library(PkgConfig::LIBZIP STATIC IMPORTED)
set_target_properties(PkgConfig::LIBZIP PROPERTIES IMPORTED_LOCATION "${windows_prefix}/lib/libzip.a"
  INTERFACE_INCLUDE_DIRECTORIES "${windows_prefix}/include" INTERFACE_COMPILE_DEFINITIONS ZIP_STATIC
  INTERFACE_LINK_LIBRARIES "z;advapi32")
add_library(pugixml::pugixml STATIC IMPORTED)
set_target_properties(pugixml::pugixml PROPERTIES IMPORTED_LOCATION "${windows_prefix}/lib/libpugixml.a"
  INTERFACE_INCLUDE_DIRECTORIES "${windows_prefix}/include")
