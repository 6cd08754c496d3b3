/* Request ids for client-request-id: a random RFC 4122 version-4 UUID,
 * 36 characters + NUL. */
#ifndef EWS_CORE_UUID_H
#define EWS_CORE_UUID_H

void ews_uuid4(char out[37]);

#endif
