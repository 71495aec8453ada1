# Generates build/generated/normsim/build_info.cpp at every build (not only at configure time), so
# that the git commit recorded in every output file is the one actually built.
set(NORMSIM_BUILD_INFO_CPP "${CMAKE_BINARY_DIR}/generated/normsim/build_info.cpp")
add_custom_target(normsim_build_info_gen
  COMMAND ${CMAKE_COMMAND}
    -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
    -DOUTPUT=${NORMSIM_BUILD_INFO_CPP}
    -DVERSION=${PROJECT_VERSION}
    "-DCOMPILER=${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}"
    -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
    "-DSANITIZER=${NORMSIM_SANITIZER}"
    -P ${PROJECT_SOURCE_DIR}/cmake/write_build_info.cmake
  BYPRODUCTS ${NORMSIM_BUILD_INFO_CPP}
  COMMENT "Recording normsim version and git commit"
  VERBATIM)
