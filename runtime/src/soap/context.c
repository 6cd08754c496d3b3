#define _DEFAULT_SOURCE /* madvise */
#include "soap/context.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "soapH.h"
#include "soap/namespaces.h"
#include "ews/errors.h"

/* Gives back the pages of a consumable input that the engine has passed.
 * ews_soap_instring reads the document from the start of the engine's
 * buffer (at most its size before io->in) forward, and nothing reads
 * behind that after the engine started (the response check ran before);
 * as much again is kept as margin. At least 2 MiB at a time: few calls,
 * and large pages go whole. */
static void give_back_passed(ews_soap_io *io, size_t window)
{
    const uintptr_t step = (uintptr_t)2 << 20, keep = 2 * (uintptr_t)window;
    uintptr_t in = (uintptr_t)io->in;
    if (in - (uintptr_t)io->keep_from < step + keep)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = ((uintptr_t)io->keep_from + page - 1) & ~(page - 1);
    uintptr_t hi = (in - keep) & ~(page - 1);
    if (hi <= lo || hi - lo < step)
        return;
    /* The pages read back as zeros if touched again, which nothing does;
     * failing changes only the memory used. */
    (void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
    io->keep_from = (const char *)hi;
}

static size_t mem_recv(struct soap *soap, char *buf, size_t len)
{
    ews_soap_io *io = soap->user;
    size_t n = io->in_left < len ? io->in_left : len;
    if (n) {
        memcpy(buf, io->in, n);
        io->in += n;
        io->in_left -= n;
        if (io->keep_from)
            give_back_passed(io, sizeof soap->buf);
    }
    return n;
}

static int mem_send(struct soap *soap, const char *s, size_t n)
{
    ews_soap_io *io = soap->user;
    int rc = ews_buf_append(io->out, s, n);
    if (rc) {
        if (!io->out_rc)
            io->out_rc = rc;
        return SOAP_EOM;
    }
    return SOAP_OK;
}

struct soap *ews_soap_new(void)
{
    struct soap *soap = soap_new1(SOAP_XML_TREE | SOAP_C_UTFSTRING);
    if (!soap)
        return NULL;
    soap_set_namespaces(soap, ews_input_namespaces());
    soap->socket = SOAP_INVALID_SOCKET;
    return soap;
}

void ews_soap_free(struct soap *soap)
{
    if (!soap)
        return;
    soap_destroy(soap);
    soap_end(soap);
    soap_free(soap);
}

/* Whether the content of the element just peeked, at s[0..end), starts
 * with an element: white space, comments and processing instructions
 * skipped; text, CDATA or an end tag first mean it does not (the response
 * check has refused text beside elements already). The child's start, or
 * NULL. */
static const char *first_child(const char *s, const char *end)
{
    for (;;) {
        while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
            s++;
        if (end - s < 2 || s[0] != '<' || s[1] == '/')
            return NULL;
        const char *close;
        if (end - s >= 4 && memcmp(s, "<!--", 4) == 0)
            close = "-->";
        else if (s[1] == '?')
            close = "?>";
        else if (s[1] == '!')
            return NULL; /* CDATA: text */
        else
            return s;
        size_t n = strlen(close);
        const char *c = s + 2;
        while (end - c >= (ptrdiff_t)n && memcmp(c, close, n) != 0)
            c++;
        if (end - c < (ptrdiff_t)n)
            return NULL;
        s = c + n;
    }
}

char **ews_soap_instring(struct soap *soap, const char *tag, char **p, const char *type, int t,
                         int flag, long minlen, long maxlen, const char *pattern)
{
    ews_soap_io *io = soap->user;
    /* Our memory reader only (the document is all there to look at); a
     * tag with '-' the engine treats specially. */
    if (soap->frecv != mem_recv || !io || !tag || *tag == '-')
        return soap_instring(soap, tag, p, type, t, flag, minlen, maxlen, pattern);
    /* soap_instring would peek first thing too. */
    if (!soap->peeked && soap_peek_element(soap))
        return NULL;
    /* Where the element's content starts: the buffer holds the last bytes
     * received, up to io->in. After a start tag the engine holds no
     * character back (none did over every fixture); if it ever did, the
     * position would be off by it, so the engine is left to read as it
     * would. */
    const char *at = soap->ahead ? NULL : io->in - (soap->buflen - soap->bufidx);
    /* The engine decides whether the element is this field (most calls are
     * not: a generated reader tries each field in turn); matching the tag
     * here as well had cost 15% of a large list's parse. The content is
     * looked at before the engine reads it (a consumable input's pages go
     * once passed), once per element however many fields try it. */
    const char *child = NULL;
    if (at && soap->body) {
        if (at != io->child_for) {
            io->child_for = at;
            io->child = first_child(at, io->in + io->in_left);
        }
        child = io->child;
    }
    if (!child)
        return soap_instring(soap, tag, p, type, t, flag, minlen, maxlen, pattern);
    /* Once read, the engine's tag buffer may hold the end tag. */
    char name[sizeof soap->tag];
    size_t n = strlen(soap->tag);
    memcpy(name, soap->tag, n + 1);
    char **r = soap_instring(soap, tag, p, type, t, flag, minlen, maxlen, pattern);
    if (!r)
        return r;
    const char *start = io->in + io->in_left - io->in_len;
    io->text_child_at = (size_t)(child - start) + 1;
    memcpy(soap->tag, name, n + 1);
    soap->error = SOAP_SYNTAX_ERROR;
    return NULL;
}

void ews_soap_read_from(struct soap *soap, ews_soap_io *io, const char *data, size_t len,
                        const ews_limits *lim)
{
    io->in = data;
    io->in_left = len;
    io->in_len = len;
    io->text_child_at = 0;
    io->keep_from = NULL;
    io->child_for = NULL;
    io->child = NULL;
    soap->user = io;
    soap->frecv = mem_recv;
    soap->socket = SOAP_INVALID_SOCKET;
    soap->recvfd = -1;
    soap->is = NULL;
    /* Plain XML: no HTTP header is parsed out of the body, whatever it holds. */
    soap->imode = SOAP_XML_TREE | SOAP_C_UTFSTRING | SOAP_ENC_PLAIN;
    if (lim->strict)
        soap->imode |= SOAP_XML_STRICT;
    soap->recv_maxlength = lim->max_bytes;
    soap->maxlevel = lim->max_depth;
    soap->maxlength = lim->max_string;
    soap->maxoccurs = lim->max_items;
    soap_set_namespaces(soap, ews_input_namespaces());
}

void ews_soap_read_consumable(ews_soap_io *io)
{
    io->keep_from = io->in;
}

void ews_soap_write_to(struct soap *soap, ews_soap_io *io, ews_buf *out)
{
    io->out = out;
    io->out_rc = 0;
    soap->user = io;
    soap->fsend = mem_send;
    soap->socket = SOAP_INVALID_SOCKET;
    soap->sendfd = -1;
    soap->os = NULL;
    soap->omode = SOAP_XML_TREE | SOAP_C_UTFSTRING | SOAP_IO_BUFFER | SOAP_ENC_PLAIN;
    soap_set_namespaces(soap, ews_output_namespaces());
}

/* Contexts kept for the next request or response: creating one and
 * freeing it (soap_new1: 164 kB, hash tables cleared; soap_done) cost
 * about as much again as the soap_begin/soap_end that reuse needs, and on
 * a one-worker export it touched more memory than the response's parse.
 * One context serializing request after request and reading response
 * after response is the use gSOAP's own clients and servers make of it:
 * soap_end frees all a use allocated, and each use sets its own modes,
 * limits and namespace table again (ews_soap_read_from, ews_soap_write_to).
 * A few are kept process-wide, the rest freed. */
enum { KEPT = 8 };
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static struct soap *kept[KEPT];
static size_t nkept;

struct soap *ews_soap_get(void)
{
    struct soap *soap = NULL;
    pthread_mutex_lock(&kept_lock);
    if (nkept)
        soap = kept[--nkept];
    pthread_mutex_unlock(&kept_lock);
    return soap ? soap : ews_soap_new();
}

void ews_soap_put(struct soap *soap)
{
    if (!soap)
        return;
    soap_destroy(soap);
    soap_end(soap);
    /* Nothing of the request or the response stays reachable from it. */
    soap->header = NULL;
    soap->fault = NULL;
    soap->user = NULL;
    pthread_mutex_lock(&kept_lock);
    if (nkept < KEPT) {
        kept[nkept++] = soap;
        soap = NULL;
    }
    pthread_mutex_unlock(&kept_lock);
    if (soap)
        soap_free(soap);
}

void ews_soap_kept_drain(void)
{
    struct soap *all[KEPT];
    pthread_mutex_lock(&kept_lock);
    size_t n = nkept;
    memcpy(all, kept, n * sizeof all[0]);
    nkept = 0;
    pthread_mutex_unlock(&kept_lock);
    for (size_t i = 0; i < n; i++)
        soap_free(all[i]);
}
