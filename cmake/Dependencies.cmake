# Every dependency comes from Debian 12's packages (see README.md for the list and why).
find_package(Boost 1.81 REQUIRED CONFIG)
find_package(OpenSSL REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED CONFIG)
find_package(spdlog REQUIRED CONFIG)
find_package(RocksDB REQUIRED CONFIG)
find_package(CLI11 REQUIRED CONFIG)
find_package(Threads REQUIRED)
# nghttp2 ships no CMake package on Debian, only pkg-config.
find_package(PkgConfig REQUIRED)
pkg_check_modules(NGHTTP2 REQUIRED IMPORTED_TARGET libnghttp2>=1.52)

# Asio and Beast are compiled once (src/net/asio_impl.cc); every translation unit that includes
# them must see the same definitions, so they travel on this interface target.
add_library(ke_asio INTERFACE)
target_link_libraries(ke_asio INTERFACE Boost::headers Threads::Threads)
target_compile_definitions(ke_asio INTERFACE BOOST_ASIO_SEPARATE_COMPILATION
                                             BOOST_BEAST_SEPARATE_COMPILATION
                                             BOOST_ASIO_NO_DEPRECATED)
