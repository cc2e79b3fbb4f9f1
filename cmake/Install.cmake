# What `cmake --install` puts where, and the Debian packages CPack makes of it (scripts/package;
# docs/install.md). Three packages, one per component:
#   commune-kiosk       kiosk, kioskctl, the locked touchscreen session (packaging/kiosk/)
#   commune-district    district-server, its systemd service and daily backup (packaging/district/)
#   commune-kiosk-data  assets/ (reference data, UI strings, the dashboard's files), which both
#                       programs find at <prefix>/share/commune-kiosk/assets beside <prefix>/bin
#                       (core/reference_data.h assetsDir), so the installed programs need no flag.
# Configuration goes to /etc (conffiles), units to /lib/systemd/system (bookworm's place), state
# to /var/lib, made by the maintainer scripts, which never delete a database (packaging/*/postrm).
include(GNUInstallDirs)

set(KIOSK_PACKAGING_DIR ${CMAKE_SOURCE_DIR}/packaging)
set(KIOSK_DOC_DIR ${CMAKE_BINARY_DIR}/package-doc)

# --- the programs
if(TARGET kiosk)
  install(TARGETS kiosk RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT kiosk)
endif()
install(TARGETS kioskctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT kiosk)
install(TARGETS district-server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT district)

# --- the data both read
install(DIRECTORY ${CMAKE_SOURCE_DIR}/assets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/commune-kiosk/assets
        COMPONENT data PATTERN node_modules EXCLUDE PATTERN package.json EXCLUDE
        PATTERN package-lock.json EXCLUDE)
# The dashboard's chart library, from where scripts/setup's `npm ci` put it; district-server looks
# for it beside app.js once installed. Without it the package would ship a dashboard with no charts.
set(KIOSK_CHART_JS ${CMAKE_SOURCE_DIR}/assets/dashboard/node_modules/chart.js/dist/chart.umd.js)
if(EXISTS ${KIOSK_CHART_JS})
  install(FILES ${KIOSK_CHART_JS} DESTINATION ${CMAKE_INSTALL_DATADIR}/commune-kiosk/assets/dashboard
          COMPONENT data)
else()
  message(WARNING "${KIOSK_CHART_JS} is missing (run scripts/setup): the package's dashboard will have no charts")
endif()

# --- the kiosk's session
install(FILES ${KIOSK_PACKAGING_DIR}/kiosk/commune-kiosk-session.service DESTINATION /lib/systemd/system
        COMPONENT kiosk)
install(PROGRAMS ${KIOSK_PACKAGING_DIR}/kiosk/kiosk-session DESTINATION lib/commune-kiosk
        COMPONENT kiosk)
install(FILES ${KIOSK_PACKAGING_DIR}/kiosk/kiosk.conf ${KIOSK_PACKAGING_DIR}/kiosk/session.conf
        DESTINATION /etc/commune-kiosk COMPONENT kiosk)
install(FILES ${KIOSK_PACKAGING_DIR}/kiosk/logind.conf DESTINATION /usr/lib/systemd/logind.conf.d
        RENAME commune-kiosk.conf COMPONENT kiosk)
install(FILES ${KIOSK_PACKAGING_DIR}/kiosk/sysctl.conf DESTINATION /usr/lib/sysctl.d
        RENAME 50-commune-kiosk.conf COMPONENT kiosk)

# --- the district's service
install(FILES ${KIOSK_PACKAGING_DIR}/district/commune-district.service
              ${KIOSK_PACKAGING_DIR}/district/commune-district-backup.service
              ${KIOSK_PACKAGING_DIR}/district/commune-district-backup.timer
        DESTINATION /lib/systemd/system COMPONENT district)
install(FILES ${KIOSK_PACKAGING_DIR}/district/district.conf DESTINATION /etc/commune-district
        COMPONENT district)
# The nginx TLS front, as an example the technician copies to /etc/nginx/sites-available (its header
# says how); not installed as nginx's configuration, so the package needs no nginx.
install(FILES ${KIOSK_PACKAGING_DIR}/nginx/commune-district.conf
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/commune-district/examples COMPONENT district)

# --- each package's /usr/share/doc: copyright, the changelog (gzipped, as Debian wants) and the
# installation guide.
file(MAKE_DIRECTORY ${KIOSK_DOC_DIR})
add_custom_command(OUTPUT ${KIOSK_DOC_DIR}/changelog.gz
                   COMMAND gzip -9n -c ${CMAKE_SOURCE_DIR}/CHANGELOG.md > ${KIOSK_DOC_DIR}/changelog.gz
                   DEPENDS ${CMAKE_SOURCE_DIR}/CHANGELOG.md)
add_custom_target(package_doc ALL DEPENDS ${KIOSK_DOC_DIR}/changelog.gz)
foreach(component kiosk district data)
  if(component STREQUAL "data")
    set(package commune-kiosk-data)
  else()
    set(package commune-${component})
  endif()
  install(FILES ${KIOSK_PACKAGING_DIR}/copyright ${KIOSK_DOC_DIR}/changelog.gz
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package} COMPONENT ${component})
endforeach()
install(FILES ${CMAKE_SOURCE_DIR}/docs/install.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/commune-kiosk
        COMPONENT kiosk)
install(FILES ${CMAKE_SOURCE_DIR}/docs/install.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/commune-district
        COMPONENT district)

# --- CPack: the .deb files
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL kiosk district data)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "commune-kiosk maintainers <commune-kiosk@example.org>")
set(CPACK_PACKAGE_VENDOR "commune-kiosk")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The libraries each program links, found by dpkg-shlibdeps. Those loaded at first use instead
# (common/shared_library.h: printing, voice, libcurl, libpq) are named in each package's Depends.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/commune-kiosk")

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME commune-kiosk)
set(CPACK_DEBIAN_KIOSK_FILE_NAME DEB-DEFAULT)
set(CPACK_COMPONENT_KIOSK_DESCRIPTION
    "touchscreen petition kiosk for a commune hall\nkiosk (the citizens' touchscreen), kioskctl (its command-line twin) and a\nlocked session that starts the kiosk full screen in the cage compositor at\nboot and starts it again after a crash.")
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
    "commune-kiosk-data (= ${PROJECT_VERSION}), adduser, fonts-noto-core, cage, xwayland, libcurl4, libcups2, libcairo2, libpango-1.0-0, libpangocairo-1.0-0, libglib2.0-0, libespeak-ng1, libasound2")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
    "${KIOSK_PACKAGING_DIR}/kiosk/postinst;${KIOSK_PACKAGING_DIR}/kiosk/prerm;${KIOSK_PACKAGING_DIR}/kiosk/postrm;${KIOSK_PACKAGING_DIR}/kiosk/conffiles")

set(CPACK_DEBIAN_DISTRICT_PACKAGE_NAME commune-district)
set(CPACK_DEBIAN_DISTRICT_FILE_NAME DEB-DEFAULT)
set(CPACK_COMPONENT_DISTRICT_DESCRIPTION
    "district server for the communes' petition kiosks\ndistrict-server: the kiosks' sync API and the officers' web dashboard on one\nport, run by systemd as commune-district.service with a daily backup timer.")
set(CPACK_DEBIAN_DISTRICT_PACKAGE_DEPENDS
    "commune-kiosk-data (= ${PROJECT_VERSION}), adduser, libpq5, libcairo2, libpango-1.0-0, libpangocairo-1.0-0, libglib2.0-0")
set(CPACK_DEBIAN_DISTRICT_PACKAGE_CONTROL_EXTRA
    "${KIOSK_PACKAGING_DIR}/district/postinst;${KIOSK_PACKAGING_DIR}/district/prerm;${KIOSK_PACKAGING_DIR}/district/postrm;${KIOSK_PACKAGING_DIR}/district/conffiles")

set(CPACK_DEBIAN_DATA_PACKAGE_NAME commune-kiosk-data)
set(CPACK_DEBIAN_DATA_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_DATA_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_DATA_PACKAGE_SHLIBDEPS OFF)
set(CPACK_COMPONENT_DATA_DESCRIPTION
    "reference data for the commune kiosk and its district server\nAdministrative units, holidays, procedures and petition kinds, the kiosk's\nstrings in Vietnamese and English, and the district dashboard's files.")

include(CPack)
