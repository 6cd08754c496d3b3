/* ews-c: library version. */
#ifndef EWS_VERSION_H
#define EWS_VERSION_H

#include "common.h"

#define EWS_VERSION_MAJOR 0
#define EWS_VERSION_MINOR 1
#define EWS_VERSION_PATCH 0
#define EWS_VERSION_STRING "0.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH, for compile-time comparisons. */
#define EWS_VERSION_NUMBER \
    (EWS_VERSION_MAJOR * 10000 + EWS_VERSION_MINOR * 100 + EWS_VERSION_PATCH)

EWS_BEGIN_DECLS

/* The version of the library actually linked (static string). */
EWS_API const char *ews_version(void);
EWS_API int ews_version_number(void);

EWS_END_DECLS

#endif
