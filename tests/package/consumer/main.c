/* A program that uses the installed library the way an application would:
 * public headers only (the generated typed calls' too), linked against the
 * shared libews. */
#include <stdio.h>
#include <string.h>

#include <ews/ews.h>
#include <ews/operations.h>

int main(void)
{
    /* The header and the library linked at run time must agree. */
    if (strcmp(ews_version(), EWS_VERSION_STRING) != 0 || ews_version_number() != EWS_VERSION_NUMBER) {
        fprintf(stderr, "header %s, library %s\n", EWS_VERSION_STRING, ews_version());
        return 1;
    }
    /* The generated request types and calls are usable as declared. */
    struct m__GetImItemListType request = { 0 };
    (void)request;
    if (ews_operation_count() != EWS_GENERATED_OPERATION_COUNT ||
        ews_response_GetImItemList(NULL) != NULL) {
        fprintf(stderr, "%zu operations, header says %d\n", ews_operation_count(),
                EWS_GENERATED_OPERATION_COUNT);
        return 1;
    }
    printf("ews %s: %s\n", ews_version(), ews_strerror(EWS_ETIMEDOUT));
    return 0;
}
