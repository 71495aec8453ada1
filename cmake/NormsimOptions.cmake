# normsim_options: one interface target for build options that are not warnings (sanitizers,
# architecture-neutral code generation). Linked PRIVATE by every normsim target.
add_library(normsim_options INTERFACE)
add_library(normsim::options ALIAS normsim_options)

# Results must be bit-identical across machines of the same architecture: no -march=native and no
# -ffast-math (both change floating-point results), and FMA contraction is off so that a*b+c rounds
# the same whatever the compiler decides to fuse.
target_compile_options(normsim_options INTERFACE -ffp-contract=off)

if(NORMSIM_SANITIZER)
  string(REPLACE ";" "," _normsim_san "${NORMSIM_SANITIZER}")
  target_compile_options(normsim_options INTERFACE -fsanitize=${_normsim_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(normsim_options INTERFACE -fsanitize=${_normsim_san})
endif()
