/* ews-c: symbol visibility and C++ linkage for the public headers. */
#ifndef EWS_COMMON_H
#define EWS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(EWS_STATIC)
#  define EWS_API
#elif defined(__GNUC__) || defined(__clang__)
#  define EWS_API __attribute__((visibility("default")))
#else
#  define EWS_API
#endif

#ifdef __cplusplus
#  define EWS_BEGIN_DECLS extern "C" {
#  define EWS_END_DECLS }
#else
#  define EWS_BEGIN_DECLS
#  define EWS_END_DECLS
#endif

#endif
