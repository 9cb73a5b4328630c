# The Debian package: `cmake --build BUILD --target package` (or `cpack` in BUILD) writes
# paritydeck_VERSION_ARCH.deb. Runtime dependencies come from dpkg-shlibdeps over the
# binary; what the binary loads at run time without linking it (Qt plugins, the Secret
# Service over D-Bus) is named here. tests/release.cmake builds and inspects the package.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME paritydeck)
set(CPACK_PACKAGE_VENDOR "ParityDeck developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "keep a team's PostgreSQL environments in parity")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CONTACT "ParityDeck developers <maintainers@paritydeck.io>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "ParityDeck developers <maintainers@paritydeck.io>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# A Debian revision: the package is built from upstream sources, not a native package.
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://paritydeck.io")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
# libqxcb (in libqt6gui6, already a shlibdeps result) needs the xcb platform's own libs;
# libqt6svg6 also carries the SVG icon engine plugin the panel's icons use.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6svg6, qt6-qpa-plugins")
# Secrets live in the Secret Service (gnome-keyring or KWallet); git for branches; psql and
# pg_ctl for the services users typically declare.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager, git")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql-client, pgbouncer")
# CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY on the synopsis line; this is the rest.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"ParityDeck shows, for every PostgreSQL environment of a project (dev, database
branches, staging, production), whether its services run, which migrations are
applied, whether its live schema drifted from its migrations, and whether its
configuration and secrets agree with the other environments.
.
It starts and stops services, applies migrations with a dry run and a typed
confirmation on protected environments, switches git branches together with
database branches, and shows the overall state in the system tray. Every action
is also a command-line command with JSON output and meaningful exit codes.")
include(CPack)
