# ampere_embed_files(target NAMESPACE ns BASE dir FILES f1 f2 ...): compiles the files into `target` as
# a table of {path relative to BASE, bytes}, looked up with ns::find_embedded(path). Used for the web
# assets and the SQL models, so one binary carries everything it serves and runs.
function(ampere_embed_files target)
  cmake_parse_arguments(ARG "" "NAMESPACE;BASE" "FILES" ${ARGN})
  string(MAKE_C_IDENTIFIER "${ARG_NAMESPACE}" namespace_id)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}_${namespace_id}_embedded.cpp")
  set(absolute_files)
  foreach(f IN LISTS ARG_FILES)
    list(APPEND absolute_files "${ARG_BASE}/${f}")
  endforeach()
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAMESPACE=${ARG_NAMESPACE} -DBASE=${ARG_BASE}
            "-DFILES=${ARG_FILES}" -P "${CMAKE_SOURCE_DIR}/cmake/embed_files_script.cmake"
    DEPENDS ${absolute_files} "${CMAKE_SOURCE_DIR}/cmake/embed_files_script.cmake"
    COMMENT "Embedding ${ARG_NAMESPACE} files"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()

# ampere_embed_directory(target NAMESPACE ns DIR dir DEPENDS stamp): like ampere_embed_files, for a
# directory written by another build step (web/build.mjs) whose file names are only known after it ran
# (content hashes). The files are listed when `stamp` changes and pulled in with the assembler's .incbin,
# so megabytes of JavaScript cost no compile time.
function(ampere_embed_directory target)
  cmake_parse_arguments(ARG "" "NAMESPACE;DIR;DEPENDS" "" ${ARGN})
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded_dir.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAMESPACE=${ARG_NAMESPACE} -DDIR=${ARG_DIR}
            -P "${CMAKE_SOURCE_DIR}/cmake/embed_directory_script.cmake"
    DEPENDS "${ARG_DEPENDS}" "${CMAKE_SOURCE_DIR}/cmake/embed_directory_script.cmake"
    COMMENT "Embedding ${ARG_NAMESPACE} files from ${ARG_DIR}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
