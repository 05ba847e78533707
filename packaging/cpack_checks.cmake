# Read by cpack before it packages: a build that accepts licences signed with the test key
# (whose secret half is in the repository) must never become a package.
if(CPACK_INVOICING_TEST_LICENCES)
  message(FATAL_ERROR "this build accepts test licences (INVOICING_TEST_LICENCES=ON): package the `package` "
                      "preset instead (cmake --preset package)")
endif()
