# Third-party libraries. Debian packages for the C++ libraries (scripts/setup installs them);
# DuckDB from the system when present, else the pinned npm packages in node_modules/.
find_package(PkgConfig REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)  # http/: gzip of response bodies
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(simdjson REQUIRED)  # github/: one parse per REST page (JsonPage)
find_package(tl-expected REQUIRED)
find_package(CLI11 REQUIRED)
find_package(yaml-cpp REQUIRED)
pkg_check_modules(TOMLPLUSPLUS REQUIRED IMPORTED_TARGET tomlplusplus)

# Debian ships cpp-httplib compiled (libcpp-httplib.so, with OpenSSL, zlib and brotli); use its pkg-config.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
add_library(ampere_httplib INTERFACE)
target_link_libraries(ampere_httplib INTERFACE PkgConfig::HTTPLIB Threads::Threads)

# DuckDB 1.4.4: a system install wins; otherwise the header from npm `duckdb` and the library from
# npm `@duckdb/node-bindings-linux-x64` (see package.json; `npm ci --ignore-scripts` fetches both).
set(AMPERE_NPM_DUCKDB_INCLUDE "${CMAKE_SOURCE_DIR}/node_modules/duckdb/src/duckdb/src/include")
set(AMPERE_NPM_DUCKDB_LIBDIR "${CMAKE_SOURCE_DIR}/node_modules/@duckdb/node-bindings-linux-x64")
find_path(DUCKDB_INCLUDE_DIR duckdb.h NO_CMAKE_FIND_ROOT_PATH)
find_library(DUCKDB_LIBRARY duckdb NO_CMAKE_FIND_ROOT_PATH)
if(DUCKDB_INCLUDE_DIR AND DUCKDB_LIBRARY)
  message(STATUS "DuckDB: system (${DUCKDB_LIBRARY})")
else()
  unset(DUCKDB_INCLUDE_DIR CACHE)
  unset(DUCKDB_LIBRARY CACHE)
  find_path(DUCKDB_INCLUDE_DIR duckdb.h PATHS "${AMPERE_NPM_DUCKDB_INCLUDE}" NO_DEFAULT_PATH)
  find_library(DUCKDB_LIBRARY duckdb PATHS "${AMPERE_NPM_DUCKDB_LIBDIR}" NO_DEFAULT_PATH)
  if(NOT DUCKDB_INCLUDE_DIR OR NOT DUCKDB_LIBRARY)
    message(FATAL_ERROR "DuckDB not found. Run scripts/setup (it runs `npm ci --ignore-scripts`), "
                        "or install DuckDB 1.4 so that duckdb.h and libduckdb.so are on the default paths.")
  endif()
  message(STATUS "DuckDB: npm (${DUCKDB_LIBRARY})")
endif()
add_library(ampere_duckdb SHARED IMPORTED)
set_target_properties(ampere_duckdb PROPERTIES IMPORTED_LOCATION "${DUCKDB_LIBRARY}" IMPORTED_NO_SONAME ON)
target_include_directories(ampere_duckdb SYSTEM INTERFACE "${DUCKDB_INCLUDE_DIR}")
get_filename_component(AMPERE_DUCKDB_LIBDIR "${DUCKDB_LIBRARY}" DIRECTORY)
# The binary finds libduckdb without LD_LIBRARY_PATH: the build tree keeps the build rpath.
set(CMAKE_BUILD_RPATH "${AMPERE_DUCKDB_LIBDIR}")
set(CMAKE_INSTALL_RPATH "${AMPERE_DUCKDB_LIBDIR}")
