# Copies the package's .py files (FILES: paths relative to SOURCE_DIR, separated by |) into
# DEST_DIR, each only when it changed, and removes staged .py files whose source is gone (a stale
# module would stay importable). Other files there (the compiled normsim._engine, __pycache__) are
# left alone. Run by the target normsim_python (analysis/python/CMakeLists.txt).
cmake_minimum_required(VERSION 3.25)  # policies of script mode (IN_LIST)
string(REPLACE "|" ";" files "${FILES}")
foreach(f IN LISTS files)
  get_filename_component(dir "${DEST_DIR}/${f}" DIRECTORY)
  file(MAKE_DIRECTORY "${dir}")
  file(COPY_FILE "${SOURCE_DIR}/${f}" "${DEST_DIR}/${f}" ONLY_IF_DIFFERENT)
endforeach()
file(GLOB_RECURSE staged RELATIVE "${DEST_DIR}" "${DEST_DIR}/normsim/*.py")
foreach(f IN LISTS staged)
  if(NOT f IN_LIST files)
    file(REMOVE "${DEST_DIR}/${f}")
  endif()
endforeach()
