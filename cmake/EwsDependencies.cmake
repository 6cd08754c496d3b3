# Third-party dependencies: the gSOAP engine (serialization only) and libcurl
# (all HTTP).
find_package(PkgConfig REQUIRED)
# Any gSOAP 2.8 release: ews_generate (gen/EwsCodegen.cmake) checks that the
# code generators are of the engine's release.
pkg_check_modules(GSOAP REQUIRED gsoap>=2.8)
find_package(CURL 7.68 REQUIRED)
# The certificate hash of TLS channel bindings, read from libcurl's OpenSSL
# session (runtime/src/http/channel_binding.c).
find_package(OpenSSL 1.1.1 REQUIRED)

# GSSAPI (MIT krb5) lets the transport drive NTLM (gss-ntlmssp) and SPNEGO
# with caller-supplied credentials itself, which libcurl cannot.
option(EWS_WITH_GSSAPI "NTLM and Negotiate through GSSAPI (libkrb5-dev)" ON)
if(EWS_WITH_GSSAPI)
  pkg_check_modules(KRB5_GSSAPI REQUIRED IMPORTED_TARGET krb5-gssapi)
endif()

# The engine is linked statically into libews with its symbols hidden, so an
# application that uses gSOAP itself cannot clash with ours, and the engine's
# reference to a global `namespaces` table resolves inside libews.
find_library(EWS_GSOAP_ARCHIVE NAMES libgsoap.a HINTS ${GSOAP_LIBRARY_DIRS})
if(NOT EWS_GSOAP_ARCHIVE)
  message(FATAL_ERROR "ews-c: libgsoap.a not found; apt-get install libgsoap-dev")
endif()

# The engine's release is the GSOAP_VERSION of the header the serializers
# are compiled against (generated code #errors on any other).
find_file(EWS_GSOAP_STDSOAP2_H stdsoap2.h HINTS ${GSOAP_INCLUDE_DIRS} ${GSOAP_INCLUDEDIR}
          DOC "The gSOAP engine's stdsoap2.h; its GSOAP_VERSION must be the generators' release")
if(NOT EWS_GSOAP_STDSOAP2_H)
  message(FATAL_ERROR "ews-c: gSOAP's stdsoap2.h not found; apt-get install libgsoap-dev")
endif()

add_library(ews_gsoap_headers INTERFACE)
# struct soap's layout depends on these; they must match the engine build.
# _GNU_SOURCE: stdsoap2.h uses locale_t, which strict C11 mode hides.
# EWS_WITH_GSOAP_ENGINE: <ews/generated_types.h> is the generated soapStub.h
# itself, as the serializers see it (applications get its types alone).
target_compile_definitions(ews_gsoap_headers INTERFACE ${GSOAP_CFLAGS_OTHER} _GNU_SOURCE
                           EWS_WITH_GSOAP_ENGINE)
target_include_directories(ews_gsoap_headers INTERFACE ${GSOAP_INCLUDE_DIRS})
