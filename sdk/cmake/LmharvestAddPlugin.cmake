# lmharvest_add_plugin(<name> <source>...)
#
# Builds an lmharvest plugin: a MODULE library named <name>.so that exports only
# lh_plugin_entry_v1 (hidden visibility plus a version script) and links the SDK headers.
# Used in-tree and, through find_package(lmharvest-sdk), by out-of-tree plugins.
function(lmharvest_add_plugin name)
  # Resolved here, not at include time, so that it works from any directory and once installed.
  set(_LMHARVEST_PLUGIN_MAP "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/lmharvest-plugin.map")
  if(NOT ARGN)
    message(FATAL_ERROR "lmharvest_add_plugin(${name}): no source files given")
  endif()
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE lmharvest::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS "${_LMHARVEST_PLUGIN_MAP}")
  target_link_options(${name} PRIVATE
    "LINKER:--version-script=${_LMHARVEST_PLUGIN_MAP}" "LINKER:--no-undefined")
  if(DEFINED LMHARVEST_PLUGIN_BUILD_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${LMHARVEST_PLUGIN_BUILD_DIR}")
  endif()
endfunction()
