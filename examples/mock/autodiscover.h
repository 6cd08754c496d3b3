/* POX Autodiscover for the mock's mailboxes. */
#ifndef EWS_MOCK_AUTODISCOVER_H
#define EWS_MOCK_AUTODISCOVER_H

#include <stddef.h>

#include "core/buf.h"
#include "mailbox.h"

#define MOCK_AUTODISCOVER_PATH "/autodiscover/autodiscover.xml"

/* The answer to a POX request body: a redirectAddr or redirectUrl when an
 * entry "FROM=TO" of redirects names the address asked for, the settings
 * of a mailbox (EwsUrl at scheme://host/EWS/Exchange.asmx, host being the
 * name the client used), or the documented error 500 for an unknown
 * address. *status is the HTTP status (400 for a body without an
 * EMailAddress). 0, or -1 out of memory. */
int mock_autodiscover_answer(const mock_mailboxes *mb, char *const *redirects,
                             const char *scheme, const char *host, const char *body, size_t len,
                             ews_buf *out, int *status);

#endif
