# FindKLU: SuiteSparse's KLU sparse LU solver with the libraries it links
# against (AMD, COLAMD, BTF, SuiteSparse_config). Debian 12's SuiteSparse 5.12
# ships no CMake package, so this module looks the files up itself.
#
#   find_package(KLU REQUIRED)
#   target_link_libraries(x PRIVATE KLU::KLU)
#
# Result variables: KLU_FOUND, KLU_VERSION, KLU_INCLUDE_DIR (holds klu.h), KLU_LIBRARIES.
# Cache variables KLU_INCLUDE_DIR and KLU_<part>_LIBRARY may be set to point elsewhere.

find_path(KLU_INCLUDE_DIR klu.h PATH_SUFFIXES suitesparse)

set(_klu_parts klu amd colamd btf suitesparseconfig)
set(_klu_library_vars)
foreach(part IN LISTS _klu_parts)
  find_library(KLU_${part}_LIBRARY ${part})
  list(APPEND _klu_library_vars KLU_${part}_LIBRARY)
endforeach()

if(KLU_INCLUDE_DIR AND EXISTS "${KLU_INCLUDE_DIR}/klu.h")
  file(STRINGS "${KLU_INCLUDE_DIR}/klu.h" _klu_version_lines REGEX "^#define KLU_(MAIN|SUB|SUBSUB)_VERSION +[0-9]+")
  foreach(level MAIN SUB SUBSUB)
    string(REGEX REPLACE ".*#define KLU_${level}_VERSION +([0-9]+).*" "\\1" _klu_${level} "${_klu_version_lines}")
  endforeach()
  set(KLU_VERSION "${_klu_MAIN}.${_klu_SUB}.${_klu_SUBSUB}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(KLU
  REQUIRED_VARS KLU_INCLUDE_DIR ${_klu_library_vars}
  VERSION_VAR KLU_VERSION)

if(KLU_FOUND)
  set(KLU_LIBRARIES)
  foreach(part IN LISTS _klu_parts)
    list(APPEND KLU_LIBRARIES "${KLU_${part}_LIBRARY}")
  endforeach()
  if(NOT TARGET KLU::KLU)
    # klu first, then what it needs, so static archives link in order.
    list(GET KLU_LIBRARIES 0 _klu_main)
    list(SUBLIST KLU_LIBRARIES 1 -1 _klu_needs)
    add_library(KLU::KLU UNKNOWN IMPORTED)
    set_target_properties(KLU::KLU PROPERTIES
      IMPORTED_LOCATION "${_klu_main}"
      INTERFACE_INCLUDE_DIRECTORIES "${KLU_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES "${_klu_needs}")
  endif()
endif()

mark_as_advanced(KLU_INCLUDE_DIR ${_klu_library_vars})
unset(_klu_parts)
unset(_klu_library_vars)
unset(_klu_version_lines)
