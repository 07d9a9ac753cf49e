# Third-party libraries, all from Debian packages (scripts/setup.sh installs them).
# Each one is linked privately by the one stage that needs it.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)          # pipeline: HMAC-SHA256, SHA-256, CSPRNG
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)           # runner and tools: logs to stderr
find_package(tomlplusplus REQUIRED)     # deid, classify, runner: policy/taxonomy/job files
find_package(simdjson REQUIRED)         # crawler: JSON Lines and API responses
find_package(SQLiteCpp REQUIRED)        # store
find_package(CLI11 REQUIRED)            # tools
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)   # deid
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)   # deid: normalisation
if(PEERPULSE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(PEERPULSE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
