# The package's version rule (cmake/EwsPackageVersion.cmake), through the
# version files it writes, evaluated the way find_package does: set the
# PACKAGE_FIND_VERSION* variables, include the file, read
# PACKAGE_VERSION_COMPATIBLE. Before 1.0 a minor release is a break.
#
# cmake -DSOURCE_DIR= -DWORK_DIR= -P version_rules.cmake
foreach(v SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "version_rules.cmake: -D${v}= is required")
  endif()
endforeach()
include("${SOURCE_DIR}/cmake/EwsPackageVersion.cmake")
file(MAKE_DIRECTORY "${WORK_DIR}")

set(failures 0)
# expect <installed> <requested> <TRUE|FALSE>
function(expect installed requested want)
  set(file "${WORK_DIR}/ews-${installed}-version.cmake")
  if(NOT EXISTS "${file}")
    ews_write_package_version_file("${file}" "${installed}")
  endif()
  set(PACKAGE_FIND_NAME ews)
  set(PACKAGE_FIND_VERSION "${requested}")
  set(PACKAGE_FIND_VERSION_RANGE FALSE)
  string(REPLACE "." ";" parts "${requested}")
  list(LENGTH parts PACKAGE_FIND_VERSION_COUNT)
  set(i 0)
  foreach(part IN ITEMS MAJOR MINOR PATCH TWEAK)
    set(PACKAGE_FIND_VERSION_${part} 0)
    if(i LESS PACKAGE_FIND_VERSION_COUNT)
      list(GET parts ${i} PACKAGE_FIND_VERSION_${part})
    endif()
    math(EXPR i "${i} + 1")
  endforeach()
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
  include("${file}")
  if(PACKAGE_VERSION_COMPATIBLE)
    set(got TRUE)
  else()
    set(got FALSE)
  endif()
  if(NOT got STREQUAL want)
    message(SEND_ERROR "ews ${installed} for find_package(ews ${requested}): compatible is ${got}, expected ${want}")
  else()
    message(STATUS "ews ${installed} for find_package(ews ${requested}): ${got}")
  endif()
endfunction()

expect(0.2.0 0.1 FALSE)     # a 0.x minor release breaks its predecessor's users
expect(0.2.0 0.1.5 FALSE)
expect(0.2.0 0.2 TRUE)
expect(0.1.3 0.1 TRUE)      # patch releases keep them
expect(0.1.3 0.1.0 TRUE)
expect(0.1.3 0.1.3 TRUE)
expect(0.1.3 0.1.4 FALSE)   # older than asked for
expect(0.1.3 0.2 FALSE)
expect(1.4.2 1.2 TRUE)      # from 1.0 on, a major release is the break
expect(1.4.2 2.0 FALSE)
expect(2.0.0 1.4 FALSE)
expect(1.0.0 0.9 FALSE)
