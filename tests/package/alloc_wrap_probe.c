/* A program linked with the internal library (ews_internal): the library's
 * and the engine's malloc calls go through its allocation guard, as in
 * libews, and this program's own calls do not (cmake/EwsAllocWrap.cmake).
 * The guard counts the failed mallocs that reach it (soap/memory.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "soap/memory.h"
#include "stdsoap2.h"

/* More than any malloc can give, yet no "negative" size valgrind would flag
 * (the engine adds a few bytes of its own); volatile so the compiler
 * neither warns about nor folds the call. */
static volatile size_t too_much = (size_t)PTRDIFF_MAX - 4096;

int main(void)
{
    unsigned long before = ews_alloc_failures();
    void *p = malloc(too_much);
    if (p) {
        fprintf(stderr, "FAIL: malloc(%zu) succeeded\n", (size_t)too_much);
        return 1;
    }
    if (ews_alloc_failures() != before) {
        fprintf(stderr, "FAIL: this program's own malloc went through the library's guard\n");
        return 1;
    }

    struct soap *soap = soap_new();
    if (!soap) {
        fprintf(stderr, "FAIL: soap_new\n");
        return 1;
    }
    before = ews_alloc_failures();
    p = soap_malloc(soap, too_much);
    unsigned long counted = ews_alloc_failures() - before;
    soap_destroy(soap);
    soap_end(soap);
    soap_free(soap);
    if (p || counted == 0) {
        fprintf(stderr, "FAIL: the engine's failed malloc was not seen by the guard (%lu)\n", counted);
        return 1;
    }
    printf("program malloc: not wrapped; engine malloc: wrapped\n");
    return 0;
}
