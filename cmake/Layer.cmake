# kiosk_layer(NAME <target> [DEPS <targets and libraries>...])
# One static library per folder, made of every .cpp in it (so adding a file needs no CMake edit).
# Headers are included as "core/x.h", "kiosk/store/x.h" etc. from the repository root;
# build_paths.h from the build tree.
function(kiosk_layer)
  cmake_parse_arguments(L "" "NAME" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  if(sources)
    add_library(${L_NAME} STATIC ${sources})
    target_include_directories(${L_NAME} PUBLIC ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/generated)
    target_link_libraries(${L_NAME} PUBLIC ${L_DEPS})
  else()
    add_library(${L_NAME} INTERFACE)
    target_include_directories(${L_NAME} INTERFACE ${CMAKE_SOURCE_DIR})
    target_link_libraries(${L_NAME} INTERFACE ${L_DEPS})
  endif()
endfunction()

# kiosk_program(NAME <exe> SOURCES <files> DEPS <targets>)
function(kiosk_program)
  cmake_parse_arguments(P "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_executable(${P_NAME} ${P_SOURCES})
  target_link_libraries(${P_NAME} PRIVATE ${P_DEPS})
endfunction()

# kiosk_headers_only(<target> <imported library targets>...)
# The target compiles against the libraries' headers without linking them: it loads them at first
# use (common/shared_library.h), so a program that links the target starts without them.
function(kiosk_headers_only target)
  foreach(lib ${ARGN})
    target_include_directories(${target} SYSTEM PUBLIC $<TARGET_PROPERTY:${lib},INTERFACE_INCLUDE_DIRECTORIES>)
    target_compile_definitions(${target} PUBLIC $<TARGET_PROPERTY:${lib},INTERFACE_COMPILE_DEFINITIONS>)
  endforeach()
endfunction()
