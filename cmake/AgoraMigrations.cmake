# agora_embed_migrations(TARGET COMPONENT <name> DIR <folder>
#                        NAMESPACE <c++ namespace> FUNCTION <name>)
# Compiles the NNNN_*.sql files of DIR into TARGET as
#   agora::pg::MigrationSet <NAMESPACE>::<FUNCTION>();
# so that a binary carries its own schema (read-only containers, no files to
# mount) and the migrations runner gets them in order.
set(AGORA_EMBED_MIGRATIONS_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedMigrations.cmake)

function(agora_embed_migrations target)
  cmake_parse_arguments(ARG "" "COMPONENT;DIR;NAMESPACE;FUNCTION" "" ${ARGN})
  file(GLOB sql_files CONFIGURE_DEPENDS ${ARG_DIR}/[0-9][0-9][0-9][0-9]_*.sql)
  list(SORT sql_files)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${ARG_COMPONENT}_migrations.cc)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DCOMPONENT=${ARG_COMPONENT} -DDIR=${ARG_DIR}
            -DNAMESPACE=${ARG_NAMESPACE} -DFUNCTION=${ARG_FUNCTION} -DOUT=${out}
            -P ${AGORA_EMBED_MIGRATIONS_SCRIPT}
    DEPENDS ${sql_files} ${AGORA_EMBED_MIGRATIONS_SCRIPT}
    COMMENT "Embedding ${ARG_COMPONENT} migrations"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
