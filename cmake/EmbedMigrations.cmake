# Script mode helper of agora_embed_migrations(): writes OUT from DIR's files.
file(GLOB sql_files ${DIR}/[0-9][0-9][0-9][0-9]_*.sql)
list(SORT sql_files)
set(body "")
foreach(path IN LISTS sql_files)
  get_filename_component(name ${path} NAME)
  string(SUBSTRING ${name} 0 4 version)
  math(EXPR version "${version}")
  file(READ ${path} sql)
  string(FIND "${sql}" ")agora_sql\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${path} contains the raw-string delimiter )agora_sql\"")
  endif()
  string(APPEND body "      {${version}, \"${name}\", R\"agora_sql(${sql})agora_sql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp
"// Generated from ${DIR} by cmake/EmbedMigrations.cmake. Do not edit.
#include \"libs/pg/migrations.h\"

namespace ${NAMESPACE} {

agora::pg::MigrationSet ${FUNCTION}() {
  return agora::pg::MigrationSet{
    \"${COMPONENT}\",
    {
${body}    }};
}

}  // namespace ${NAMESPACE}
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
