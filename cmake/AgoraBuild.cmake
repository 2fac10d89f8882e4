# Compiler settings shared by every Agora target.

find_program(AGORA_CCACHE ccache)
if(AGORA_CCACHE)
  set(CMAKE_C_COMPILER_LAUNCHER ${AGORA_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${AGORA_CCACHE})
endif()

if(AGORA_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Warnings as errors on our own code only; generated code gets the defaults.
function(agora_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror
                                           -Wno-unused-parameter)
endfunction()

# agora_library(NAME SRCS ... DEPS ...): one static library of ours.
function(agora_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SRCS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  agora_warnings(${name})
endfunction()

# agora_binary(NAME SRCS ... DEPS ...): one executable of ours.
function(agora_binary name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  agora_warnings(${name})
endfunction()
