# Installing normsim as a library others build on: `cmake --install BUILD --prefix P` installs the
# normsim executable, the static libraries, their headers under P/include/normsim, and a CMake
# package, so that a downstream project can write
#
#   find_package(normsim REQUIRED)
#   target_link_libraries(app PRIVATE normsim::normsim)
#
# normsim_export(<target> <name>) marks a library for the package as normsim::<name>;
# normsim_install_package() (called once, after every target exists) installs them.

function(normsim_export target name)
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  set_property(GLOBAL APPEND PROPERTY NORMSIM_EXPORTED_TARGETS ${target})
endfunction()

function(normsim_install_package)
  include(CMakePackageConfigHelpers)
  # normsim::normsim: everything a program needs to run, attribute and check scenarios.
  add_library(normsim_all INTERFACE)
  add_library(normsim::normsim ALIAS normsim_all)
  target_link_libraries(normsim_all INTERFACE normsim_study)
  normsim_export(normsim_all normsim)
  get_property(targets GLOBAL PROPERTY NORMSIM_EXPORTED_TARGETS)
  # The static libraries list their private dependencies as link-only entries; the interface
  # targets for warnings and options travel along (they carry no usage requirements outside).
  install(TARGETS ${targets} normsim_warnings normsim_options EXPORT normsimTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/normsim)
  # Headers keep their include paths: "study/run.hpp", "analysis/claims/verdict.hpp".
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/sim/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/normsim
          FILES_MATCHING PATTERN "*.hpp" PATTERN "bench" EXCLUDE PATTERN "cli" EXCLUDE)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/analysis/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/normsim/analysis
          FILES_MATCHING PATTERN "*.hpp")
  set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/normsim)
  install(EXPORT normsimTargets NAMESPACE normsim:: DESTINATION ${config_dir})
  set(NORMSIM_PACKAGE_WITH_MPI OFF)
  if(NORMSIM_WITH_MPI AND MPI_CXX_FOUND)
    set(NORMSIM_PACKAGE_WITH_MPI ON)
  endif()
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/normsimConfig.cmake.in
                                ${PROJECT_BINARY_DIR}/normsimConfig.cmake INSTALL_DESTINATION ${config_dir})
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/normsimConfigVersion.cmake COMPATIBILITY SameMinorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/normsimConfig.cmake ${PROJECT_BINARY_DIR}/normsimConfigVersion.cmake
          DESTINATION ${config_dir})
endfunction()
