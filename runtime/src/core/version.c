#include "ews/version.h"

const char *ews_version(void)
{
    return EWS_VERSION_STRING;
}

int ews_version_number(void)
{
    return EWS_VERSION_NUMBER;
}
