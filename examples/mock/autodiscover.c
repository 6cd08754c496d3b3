/* POX Autodiscover for the mock: enough of the answer shapes Microsoft
 * documents ("POX Autodiscover XML elements": Response / User /
 * AutoDiscoverSMTPAddress, Account / Action, RedirectAddr, RedirectUrl,
 * Protocol / Type, ServerVersion, EwsUrl; Response / Error) for ews-c's
 * ews_autodiscover() and the demo to run discovery end to end. */
#include "autodiscover.h"

#include <string.h>
#include <strings.h>

#define RESPONSE_NS "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
#define OUTLOOK_NS "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
/* 15.2.1544 in the ServerVersion bit layout of [MS-OXDSCLI]. */
#define SERVER_VERSION "73C28608"

/* The text of the first <EMailAddress> (any prefix), or 0. */
static int email_of(const char *body, size_t len, char *out, size_t outlen)
{
    const char *end = body + len;
    for (const char *p = body; p < end; p++) {
        if (*p != '<')
            continue;
        const char *name = p + 1;
        const char *gt = memchr(name, '>', (size_t)(end - name));
        if (!gt)
            return 0;
        const char *colon = memchr(name, ':', (size_t)(gt - name));
        if (colon)
            name = colon + 1;
        if ((size_t)(gt - name) != 12 || memcmp(name, "EMailAddress", 12) != 0)
            continue;
        const char *lt = memchr(gt + 1, '<', (size_t)(end - gt - 1));
        size_t n = lt ? (size_t)(lt - gt - 1) : 0;
        if (!lt || n == 0 || n >= outlen)
            return 0;
        memcpy(out, gt + 1, n);
        out[n] = '\0';
        return 1;
    }
    return 0;
}

/* Only characters that need no escaping in XML text and in a URL host. */
static int plain(const char *s, const char *extra)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr(extra, *s)))
            return 0;
    return 1;
}

/* A redirectUrl whose host is the one asked: the redirected request
 * itself, which gets the settings. */
static int redirected_here(const char *to, const char *host)
{
    const char *h = strstr(to, "://");
    if (!h || !host)
        return 0;
    h += 3;
    size_t n = strcspn(h, ":/");
    size_t hn = strcspn(host, ":");
    return n == hn && strncasecmp(h, host, n) == 0;
}

int mock_autodiscover_answer(const mock_mailboxes *mb, char *const *redirects,
                             const char *scheme, const char *host, const char *body, size_t len,
                             ews_buf *out, int *status)
{
    char email[321];
    int rc;
    *status = 200;
    if (!email_of(body, len, email, sizeof email) || !plain(email, ".-_+@")) {
        *status = 400;
        return ews_buf_puts(out, "the request has no usable EMailAddress\n") ? -1 : 0;
    }
    rc = ews_buf_printf(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                             "<Autodiscover xmlns=\"" RESPONSE_NS "\">\n"
                             "  <Response xmlns=\"" OUTLOOK_NS "\">\n");
    size_t n = strlen(email);
    const char *to = NULL;
    for (char *const *r = redirects; r && *r && !to; r++)
        if (strncasecmp(*r, email, n) == 0 && (*r)[n] == '=' &&
            !redirected_here(*r + n + 1, host))
            to = *r + n + 1;
    if (!rc && to) {
        int addr = strchr(to, '@') && !strstr(to, "://");
        rc = ews_buf_printf(out,
                            "    <Account><AccountType>email</AccountType>"
                            "<Action>%s</Action><%s>%s</%s></Account>\n",
                            addr ? "redirectAddr" : "redirectUrl",
                            addr ? "RedirectAddr" : "RedirectUrl", to,
                            addr ? "RedirectAddr" : "RedirectUrl");
    } else if (!rc && mailboxes_find(mb, email)) {
        if (!host || !*host || !plain(host, ".-:[]"))
            host = "127.0.0.1";
        rc = ews_buf_printf(out,
                            "    <User><DisplayName>%s</DisplayName>"
                            "<AutoDiscoverSMTPAddress>%s</AutoDiscoverSMTPAddress></User>\n"
                            "    <Account><AccountType>email</AccountType>"
                            "<Action>settings</Action>\n"
                            "      <Protocol><Type>EXCH</Type><ServerVersion>" SERVER_VERSION
                            "</ServerVersion><EwsUrl>%s://%s/EWS/Exchange.asmx</EwsUrl>"
                            "</Protocol>\n"
                            "      <Protocol><Type>EXPR</Type><ServerVersion>" SERVER_VERSION
                            "</ServerVersion><EwsUrl>%s://%s/EWS/Exchange.asmx</EwsUrl>"
                            "</Protocol>\n"
                            "    </Account>\n",
                            email, email, scheme, host, scheme, host);
    } else if (!rc) {
        rc = ews_buf_puts(out, "    <Error Time=\"00:00:00\" Id=\"1\"><ErrorCode>500</ErrorCode>"
                               "<Message>The e-mail address cannot be found.</Message>"
                               "<DebugData /></Error>\n");
    }
    if (!rc)
        rc = ews_buf_puts(out, "  </Response>\n</Autodiscover>\n");
    return rc ? -1 : 0;
}
