# Proto generation: C++ messages and gRPC stubs, Python messages and stubs (for
# interop tests), and a descriptor set with imports (for the gateway and tests).

# googleapis' google/api/*.proto come from the pinned npm package
# google-proto-files (protos/package.json), installed by deploy/install-deps.
set(AGORA_GOOGLEAPIS_DIR ${PROJECT_SOURCE_DIR}/protos/node_modules/google-proto-files
    CACHE PATH "Folder holding googleapis' google/api/*.proto")
if(NOT EXISTS ${AGORA_GOOGLEAPIS_DIR}/google/api/annotations.proto)
  message(FATAL_ERROR "googleapis protos not found in ${AGORA_GOOGLEAPIS_DIR}: "
                      "run deploy/install-deps (npm ci --prefix protos)")
endif()
set(AGORA_PROTOBUF_INCLUDE_DIR ${Protobuf_INCLUDE_DIRS})

# agora_proto_library(NAME ROOT <dir> PROTOS <paths relative to ROOT>
#                     [IMPORT_DIRS ...] [DEPS ...] [DESCRIPTOR_SET <file>])
# Generates into ${CMAKE_BINARY_DIR}/gen and builds one static library.
function(agora_proto_library name)
  cmake_parse_arguments(ARG "" "ROOT;DESCRIPTOR_SET" "PROTOS;IMPORT_DIRS;DEPS" ${ARGN})
  set(gen ${CMAKE_BINARY_DIR}/gen)
  set(pygen ${CMAKE_BINARY_DIR}/gen/python)
  file(MAKE_DIRECTORY ${gen} ${pygen})
  set(srcs)
  set(outputs)
  set(inputs)
  foreach(proto IN LISTS ARG_PROTOS)
    string(REGEX REPLACE "\\.proto$" "" stem ${proto})
    list(APPEND srcs ${gen}/${stem}.pb.cc ${gen}/${stem}.grpc.pb.cc)
    list(APPEND outputs ${gen}/${stem}.pb.cc ${gen}/${stem}.pb.h
         ${gen}/${stem}.grpc.pb.cc ${gen}/${stem}.grpc.pb.h ${pygen}/${stem}_pb2.py
         ${pygen}/${stem}_pb2_grpc.py)
    list(APPEND inputs ${ARG_ROOT}/${proto})
  endforeach()
  set(include_flags -I ${ARG_ROOT})
  foreach(dir IN LISTS ARG_IMPORT_DIRS)
    list(APPEND include_flags -I ${dir})
  endforeach()
  list(APPEND include_flags -I ${AGORA_GOOGLEAPIS_DIR} -I ${AGORA_PROTOBUF_INCLUDE_DIR})
  set(descriptor_args)
  if(ARG_DESCRIPTOR_SET)
    list(APPEND outputs ${ARG_DESCRIPTOR_SET})
    set(descriptor_args --include_imports --include_source_info
                        --descriptor_set_out=${ARG_DESCRIPTOR_SET})
  endif()
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${AGORA_PROTOC} ${include_flags} --cpp_out=${gen} --grpc_out=${gen}
            --plugin=protoc-gen-grpc=${AGORA_GRPC_CPP_PLUGIN} --python_out=${pygen}
            --grpc_python_out=${pygen}
            --plugin=protoc-gen-grpc_python=${AGORA_GRPC_PYTHON_PLUGIN}
            ${descriptor_args} ${ARG_PROTOS}
    WORKING_DIRECTORY ${ARG_ROOT}
    DEPENDS ${inputs}
    COMMENT "Generating code for ${name}"
    VERBATIM)
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} SYSTEM PUBLIC ${gen})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} gRPC::grpc++ protobuf::libprotobuf)
endfunction()
