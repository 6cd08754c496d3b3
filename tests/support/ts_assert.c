#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include "ts_assert.h"

#include <string.h>

int ts_contains(const char *haystack, const char *needle)
{
    return haystack && needle && strstr(haystack, needle) != NULL;
}

int ts_contains_n(const char *haystack, size_t len, const char *needle)
{
    return haystack && needle && memmem(haystack, len, needle, strlen(needle)) != NULL;
}
