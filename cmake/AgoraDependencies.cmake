# Every dependency comes from Debian 12's packages (deploy/install-deps).

find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)

find_package(Boost 1.74 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(ARGON2 REQUIRED IMPORTED_TARGET libargon2)
# The identity service's OpenID Connect client: HTTPS and JOSE (JWK, JWS).
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(CJOSE REQUIRED IMPORTED_TARGET cjose)

find_program(AGORA_PROTOC protoc REQUIRED)
find_program(AGORA_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
find_program(AGORA_GRPC_PYTHON_PLUGIN grpc_python_plugin REQUIRED)

if(AGORA_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
if(AGORA_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)
endif()
