/* ews-c: Exchange Web Services client library. Include this header. */
#ifndef EWS_EWS_H
#define EWS_EWS_H

#include "version.h"
#include "errors.h"
#include "imlist.h"
#include "client.h"
#include "imops.h"
#include "response.h"
#include "autodiscover.h"

#endif
