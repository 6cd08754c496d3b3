# Which versions of ews-c are interchangeable, for the CMake package and the
# shared library's SONAME alike. Before 1.0 every minor release may change
# the API and ABI (0.1 -> 0.2) and only patch releases keep them; from 1.0
# on, a major release does.
#
#   ews_write_package_version_file(<file> <version>)
#     A package version file for find_package: 0.x requests are met by the
#     same 0.x at the same or a later patch level (SameMinorVersion), 1.0
#     and later requests by the same major version (SameMajorVersion).
#   EWS_SOVERSION  the SONAME's version, by the same rule: 0.1, 0.2, ... 1, 2
include(CMakePackageConfigHelpers)

function(_ews_compatibility result version)
  string(REGEX MATCH "^[0-9]+" major "${version}")
  if(major EQUAL 0)
    set(${result} SameMinorVersion PARENT_SCOPE)
  else()
    set(${result} SameMajorVersion PARENT_SCOPE)
  endif()
endfunction()

function(ews_write_package_version_file file version)
  _ews_compatibility(compat "${version}")
  write_basic_package_version_file("${file}" VERSION "${version}" COMPATIBILITY ${compat})
endfunction()

if(DEFINED PROJECT_VERSION_MAJOR AND NOT PROJECT_VERSION_MAJOR STREQUAL "")
  if(PROJECT_VERSION_MAJOR EQUAL 0)
    set(EWS_SOVERSION "${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}")
  else()
    set(EWS_SOVERSION "${PROJECT_VERSION_MAJOR}")
  endif()
endif()
