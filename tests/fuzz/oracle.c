#include "oracle.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews/errors.h"

void oracle_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ORACLE: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

int oracle_utf8_ok(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + len;
    while (s < end) {
        unsigned c = *s++;
        if (c < 0x80)
            continue;
        size_t more;
        uint32_t cp, min;
        if (c >= 0xC2 && c <= 0xDF)
            more = 1, cp = c & 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            more = 2, cp = c & 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            more = 3, cp = c & 0x07, min = 0x10000;
        else
            return 0;
        if ((size_t)(end - s) < more)
            return 0;
        for (size_t i = 0; i < more; i++, s++) {
            if ((*s & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (*s & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
    }
    return 1;
}

/* ---- the dump ------------------------------------------------------------ */

static void put(ews_buf *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(ews_buf *d, const char *fmt, ...)
{
    if (!d)
        return;
    char line[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (ews_buf_puts(d, line))
        oracle_fail("out of memory writing the dump");
}

/* A string an accessor returned: NULL or valid UTF-8 (its strlen is its
 * length, so an embedded NUL cannot show; that is what the API promises). */
static void str(ews_buf *d, const char *what, const char *s)
{
    if (!s) {
        put(d, "%s=-\n", what);
        return;
    }
    size_t n = strlen(s);
    if (!oracle_utf8_ok(s, n))
        oracle_fail("%s is not valid UTF-8 (%zu bytes)", what, n);
    put(d, "%s=%zu:", what, n);
    if (d && (ews_buf_append(d, s, n) || ews_buf_puts(d, "\n")))
        oracle_fail("out of memory writing the dump");
}

static int same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static void item_id(ews_buf *d, const char *what, ews_item_id id)
{
    char name[64];
    snprintf(name, sizeof name, "%s.id", what);
    str(d, name, id.id);
    snprintf(name, sizeof name, "%s.ck", what);
    str(d, name, id.change_key);
}

static void email(ews_buf *d, const char *what, const ews_email_address *e)
{
    if (!e) {
        put(d, "%s=-\n", what);
        return;
    }
    put(d, "%s:\n", what);
    str(d, " name", e->name);
    str(d, " address", e->address);
    str(d, " routing", e->routing_type);
    str(d, " mailbox", e->mailbox_type);
}

static void phone(ews_buf *d, const char *what, const ews_phone *p)
{
    if (!p)
        oracle_fail("%s is NULL inside its count", what);
    put(d, "%s:\n", what);
    str(d, " number", p->number);
    str(d, " type", p->type);
}

static void tristate(const char *what, int v)
{
    if (v < -1 || v > 1)
        oracle_fail("%s is %d, not 1, 0 or -1", what, v);
}

/* ---- personas ------------------------------------------------------------ */

enum kind { K_STRING, K_PHONE, K_EMAIL };

static enum kind kind_of(ews_persona_field f)
{
    if (f >= EWS_PF_EMAILS1 && f <= EWS_PF_EMAILS3)
        return K_EMAIL;
    if (f >= EWS_PF_BUSINESS_PHONES && f <= EWS_PF_PAGERS)
        return K_PHONE;
    return K_STRING;
}

static int is_im_field(ews_persona_field f)
{
    return f == EWS_PF_IM_ADDRESSES || f == EWS_PF_IM_ADDRESSES2 || f == EWS_PF_IM_ADDRESSES3;
}

static size_t first_attribution_with_id(const ews_persona *p, const char *id)
{
    for (size_t j = 0; id && j < ews_persona_attribution_count(p); j++)
        if (same(ews_persona_attribution(p, j)->id, id))
            return j;
    return SIZE_MAX;
}

static void im_listed(const ews_persona *p, const char *s)
{
    for (size_t i = 0; i < ews_persona_im_address_count(p); i++)
        if (same(ews_persona_im_address(p, i), s))
            return;
    oracle_fail("IM address of an attributed value is missing from the IM address list");
}

static size_t check_attributed(ews_buf *d, const ews_persona *p, ews_persona_field f)
{
    size_t n = ews_persona_attributed_count(p, f), phones = 0;
    put(d, " field %d: %zu\n", (int)f, n);
    for (size_t i = 0; i < n; i++) {
        const ews_attributed_value *v = ews_persona_attributed(p, f, i);
        if (!v)
            oracle_fail("attributed value %zu of field %d is NULL inside its count", i, (int)f);
        enum kind k = kind_of(f);
        if ((v->string && k != K_STRING) || (v->phone && k != K_PHONE) ||
            (v->email && k != K_EMAIL))
            oracle_fail("attributed value of field %d has a member of the wrong kind", (int)f);
        str(d, "  string", v->string);
        if (v->phone) {
            phone(d, "  phone", v->phone);
            phones++;
        }
        email(d, "  email", v->email);
        if (v->string && is_im_field(f))
            im_listed(p, v->string);
        if (v->attribution_count && (!v->attribution_ids || !v->attribution_index))
            oracle_fail("attributed value has %zu attributions but no arrays",
                        v->attribution_count);
        for (size_t a = 0; a < v->attribution_count; a++) {
            const char *id = v->attribution_ids[a];
            size_t ix = v->attribution_index[a];
            str(d, "  attribution", id);
            size_t want = first_attribution_with_id(p, id);
            if (ix != want)
                oracle_fail("attribution_index %zu of '%s' should be %zu (persona has %zu)", ix,
                            id ? id : "(null)", want, ews_persona_attribution_count(p));
        }
    }
    if (ews_persona_attributed(p, f, n))
        oracle_fail("attributed value past the count of field %d", (int)f);
    return phones;
}

static void check_ims(ews_buf *d, const ews_persona *p)
{
    size_t n = ews_persona_im_address_count(p);
    put(d, " ims %zu\n", n);
    for (size_t i = 0; i < n; i++) {
        const char *s = ews_persona_im_address(p, i);
        if (!s)
            oracle_fail("IM address %zu is NULL inside its count", i);
        str(d, "  im", s);
        for (size_t j = 0; j < i; j++)
            if (same(ews_persona_im_address(p, j), s))
                oracle_fail("IM address '%s' listed twice", s);
    }
    if (ews_persona_im_address(p, n))
        oracle_fail("IM address past the count");
}

static void check_persona(ews_buf *d, const ews_imlist *l, const ews_persona *p)
{
    str(d, "id", ews_persona_id(p));
    str(d, "type", ews_persona_type(p));
    str(d, "created", ews_persona_creation_time(p));
    str(d, "display", ews_persona_display_name(p));
    str(d, "display_fl", ews_persona_display_name_first_last(p));
    str(d, "display_lf", ews_persona_display_name_last_first(p));
    str(d, "given", ews_persona_given_name(p));
    str(d, "surname", ews_persona_surname(p));
    str(d, "file_as", ews_persona_file_as(p));
    str(d, "file_as_id", ews_persona_file_as_id(p));
    str(d, "company", ews_persona_company_name(p));
    email(d, "primary", ews_persona_email(p));

    const char *id = ews_persona_id(p);
    if (id) {
        const ews_persona *found = ews_imlist_find_persona(l, id);
        for (size_t i = 0; i < ews_imlist_persona_count(l); i++) {
            const ews_persona *q = ews_imlist_persona(l, i);
            if (same(ews_persona_id(q), id)) {
                if (found != q)
                    oracle_fail("find_persona('%s') is not the first persona with that id", id);
                break;
            }
        }
    }

    size_t ne = ews_persona_email_count(p);
    put(d, " emails %zu\n", ne);
    for (size_t i = 0; i < ne; i++) {
        if (!ews_persona_email_at(p, i))
            oracle_fail("email %zu is NULL inside its count", i);
        email(d, "  email", ews_persona_email_at(p, i));
    }
    if (ews_persona_email_at(p, ne))
        oracle_fail("email past the count");

    int score = 0, rc = ews_persona_relevance_score(p, &score);
    if (rc != 0 && rc != EWS_ENOTFOUND)
        oracle_fail("relevance_score returned %d", rc);
    put(d, " score %d %d\n", rc, rc ? 0 : score);

    size_t na = ews_persona_attribution_count(p);
    put(d, " attributions %zu\n", na);
    for (size_t i = 0; i < na; i++) {
        const ews_attribution *a = ews_persona_attribution(p, i);
        if (!a)
            oracle_fail("attribution %zu is NULL inside its count", i);
        str(d, "  id", a->id);
        item_id(d, "  source", a->source_id);
        str(d, "  display", a->display_name);
        tristate("is_writable", a->is_writable);
        tristate("is_quick_contact", a->is_quick_contact);
        tristate("is_hidden", a->is_hidden);
        put(d, "  flags %d %d %d\n", a->is_writable, a->is_quick_contact, a->is_hidden);
        item_id(d, "  folder", a->folder_id);
    }
    if (ews_persona_attribution(p, na))
        oracle_fail("attribution past the count");

    /* The IM list is checked first so attributed IM values can be looked up. */
    check_ims(d, p);
    size_t attributed_phones = 0;
    for (int f = 0; f < EWS_PF_COUNT_; f++)
        attributed_phones += check_attributed(d, p, (ews_persona_field)f);
    if (ews_persona_attributed_count(p, EWS_PF_COUNT_) ||
        ews_persona_attributed(p, EWS_PF_COUNT_, 0))
        oracle_fail("field EWS_PF_COUNT_ answered");

    size_t nph = ews_persona_phone_count(p);
    put(d, " phones %zu\n", nph);
    /* PhoneNumber plus every attributed phone: at most one more. */
    if (nph < attributed_phones || nph > attributed_phones + 1)
        oracle_fail("phone count %zu for %zu attributed phones", nph, attributed_phones);
    for (size_t i = 0; i < nph; i++)
        phone(d, "  phone", ews_persona_phone(p, i));
    if (ews_persona_phone(p, nph))
        oracle_fail("phone past the count");
}

/* ---- groups -------------------------------------------------------------- */

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (const void *const *)a, y = (uintptr_t) * (const void *const *)b;
    return x < y ? -1 : x > y;
}

static size_t persona_index(const void *const *sorted, const size_t *order, size_t n,
                            const ews_persona *p)
{
    const void *const *hit = bsearch(&p, sorted, n, sizeof *sorted, cmp_ptr);
    return hit ? order[hit - sorted] : SIZE_MAX;
}

static ews_im_group_type expected_type(const char *raw)
{
    static const char *const names[] = { "IPM.DistList.MOC.OtherContacts",
                                         "IPM.DistList.MOC.Tagged",
                                         "IPM.DistList.MOC.Favorites",
                                         "IPM.DistList.MOC.UserGroup", "IPM.DistList.MOC.DG" };
    for (size_t i = 0; raw && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(raw, names[i]) == 0)
            return (ews_im_group_type)(EWS_IM_GROUP_OTHER_CONTACTS + i);
    return EWS_IM_GROUP_UNKNOWN;
}

/* The first persona (in list order) with an attribution whose SourceId is
 * `member`: the one the group must list for that member. */
static const ews_persona *owner_of(const ews_imlist *l, const char *member)
{
    for (size_t i = 0; member && i < ews_imlist_persona_count(l); i++) {
        const ews_persona *p = ews_imlist_persona(l, i);
        for (size_t a = 0; a < ews_persona_attribution_count(p); a++)
            if (same(ews_persona_attribution(p, a)->source_id.id, member))
                return p;
    }
    return NULL;
}

static void check_group(ews_buf *d, const ews_imlist *l, const ews_im_group *g,
                        const void *const *sorted, const size_t *order, size_t np)
{
    str(d, "display", ews_im_group_display_name(g));
    str(d, "type_raw", ews_im_group_type_raw(g));
    ews_im_group_type t = ews_im_group_type_of(g);
    if (t != expected_type(ews_im_group_type_raw(g)))
        oracle_fail("group type %d does not match GroupType '%s'", (int)t,
                    ews_im_group_type_raw(g) ? ews_im_group_type_raw(g) : "(null)");
    const char *tn = ews_im_group_type_name(t);
    if (!tn || !*tn)
        oracle_fail("no name for group type %d", (int)t);
    put(d, " type %s\n", tn);
    item_id(d, "store", ews_im_group_store_id(g));
    str(d, "smtp", ews_im_group_smtp_address(g));

    size_t nm = ews_im_group_member_count(g);
    put(d, " members %zu\n", nm);
    for (size_t i = 0; i < nm; i++)
        item_id(d, "  member", ews_im_group_member(g, i));
    if (ews_im_group_member(g, nm).id)
        oracle_fail("group member past the count");

    /* The join, recomputed naively: for each member in order, the persona
     * owning that SourceId, each persona once. */
    size_t ngp = ews_im_group_persona_count(g), k = 0, unmatched = 0;
    put(d, " personas %zu\n", ngp);
    for (size_t i = 0; i < nm; i++) {
        const ews_persona *want = owner_of(l, ews_im_group_member(g, i).id);
        if (!want) {
            unmatched++;
            continue;
        }
        int seen = 0;
        for (size_t j = 0; j < k && !seen; j++)
            seen = ews_im_group_persona(g, j) == want;
        if (seen)
            continue;
        if (k >= ngp || ews_im_group_persona(g, k) != want)
            oracle_fail("group persona %zu is not the owner of member %zu", k, i);
        k++;
    }
    if (k != ngp)
        oracle_fail("group lists %zu personas, its members name %zu", ngp, k);
    if (ews_im_group_unmatched_member_count(g) != unmatched)
        oracle_fail("group counts %zu unmatched members, its members leave %zu",
                    ews_im_group_unmatched_member_count(g), unmatched);
    for (size_t i = 0; i < ngp; i++) {
        size_t ix = persona_index(sorted, order, np, ews_im_group_persona(g, i));
        if (ix == SIZE_MAX)
            oracle_fail("group persona %zu is not a persona of the list", i);
        put(d, "  persona #%zu\n", ix);
    }
    if (ews_im_group_persona(g, ngp))
        oracle_fail("group persona past the count");
}

/* ---- the list ------------------------------------------------------------ */

static void check_null_safety(void)
{
    if (ews_imlist_group_count(NULL) || ews_imlist_persona(NULL, 0) ||
        ews_imlist_find_persona(NULL, "x") || ews_im_group_persona_count(NULL) ||
        ews_im_group_member(NULL, 0).id || ews_persona_id(NULL) ||
        ews_persona_attributed(NULL, EWS_PF_DISPLAY_NAMES, 0) || ews_persona_email(NULL) ||
        ews_imlist_warning(NULL) || ews_imlist_server_version(NULL))
        oracle_fail("an accessor answered for a NULL object");
}

static void check_header(ews_buf *d, const ews_imlist *l)
{
    const struct m__GetImItemListResponseMessageType *r = ews_imlist_generated(l);
    if (!r)
        oracle_fail("a parsed list has no generated response");
    int rc = (int)r->ResponseClass;
    if (rc != t__ResponseClassType__Success && rc != t__ResponseClassType__Warning)
        oracle_fail("a list was returned for ResponseClass %d", rc);
    const ews_error *w = ews_imlist_warning(l);
    if (!w != (rc == t__ResponseClassType__Success))
        oracle_fail("warning record %s for ResponseClass %d", w ? "present" : "absent", rc);
    put(d, "class %d\n", rc);
    if (w) {
        if (w->code != 0 || !w->message || !*w->message)
            oracle_fail("warning record with code %d / empty message", w->code);
        oracle_check_error_strings(w);
        str(d, "warning", w->message);
        str(d, "warning class", w->response_class);
        str(d, "warning code", w->response_code);
        str(d, "warning text", w->message_text);
        put(d, "warning back-off %ld\n", w->back_off_ms);
    }
    const ews_server_version *v = ews_imlist_server_version(l);
    if (v) {
        put(d, "version %d %d %d %d\n", v->major_version, v->minor_version, v->major_build,
            v->minor_build);
        str(d, "version", v->version);
    }
}

void oracle_check_imlist(const ews_imlist *l, ews_buf *d)
{
    if (!l)
        oracle_fail("success without a list");
    check_null_safety();
    check_header(d, l);

    size_t np = ews_imlist_persona_count(l), ng = ews_imlist_group_count(l);
    const void **sorted = calloc(np ? np : 1, sizeof *sorted);
    size_t *order = calloc(np ? np : 1, sizeof *order);
    if (!sorted || !order)
        oracle_fail("out of memory in the oracle");
    for (size_t i = 0; i < np; i++) {
        sorted[i] = ews_imlist_persona(l, i);
        if (!sorted[i])
            oracle_fail("persona %zu is NULL inside its count", i);
    }
    qsort(sorted, np, sizeof *sorted, cmp_ptr);
    for (size_t i = 1; i < np; i++)
        if (sorted[i] == sorted[i - 1])
            oracle_fail("two persona indexes share one persona");
    /* sorted[] lost list order; map each pointer back to its index. */
    for (size_t i = 0; i < np; i++) {
        const ews_persona *p = ews_imlist_persona(l, i);
        const void *const *hit = bsearch(&p, sorted, np, sizeof *sorted, cmp_ptr);
        order[hit - (const void *const *)sorted] = i;
    }
    if (ews_imlist_persona(l, np) || ews_imlist_group(l, ng))
        oracle_fail("list element past its count");

    put(d, "personas %zu\n", np);
    for (size_t i = 0; i < np; i++) {
        put(d, "persona #%zu\n", i);
        check_persona(d, l, ews_imlist_persona(l, i));
    }
    put(d, "groups %zu\n", ng);
    for (size_t i = 0; i < ng; i++) {
        const ews_im_group *g = ews_imlist_group(l, i);
        if (!g)
            oracle_fail("group %zu is NULL inside its count", i);
        put(d, "group #%zu\n", i);
        check_group(d, l, g, (const void *const *)sorted, order, np);
    }
    free(sorted);
    free(order);
}

/* ---- errors -------------------------------------------------------------- */

static void error_string(const char *what, const char *s)
{
    if (s && !oracle_utf8_ok(s, strlen(s)))
        oracle_fail("error field %s is not valid UTF-8", what);
}

void oracle_check_error_strings(const ews_error *e)
{
    error_string("message", e->message);
    error_string("soap_faultcode", e->soap_faultcode);
    error_string("soap_faultstring", e->soap_faultstring);
    error_string("response_class", e->response_class);
    error_string("response_code", e->response_code);
    error_string("message_text", e->message_text);
    error_string("client_request_id", e->client_request_id);
    error_string("server_request_id", e->server_request_id);
    error_string("backend_http_status", e->backend_http_status);
    error_string("element", e->element);
    if (e->back_off_ms < -1)
        oracle_fail("back_off_ms is %ld", e->back_off_ms);
}

void oracle_check_failure(int rc, const ews_error *e)
{
    if (rc >= 0)
        oracle_fail("failure check on rc %d", rc);
    if (strcmp(ews_err_name(rc), "EWS_EUNKNOWN") == 0)
        oracle_fail("unknown error code %d", rc);
    if (e->code != rc)
        oracle_fail("call returned %d, its error record says %d", rc, e->code);
    if (e->category == EWS_CAT_OK || (int)e->category > EWS_CAT_INVALID_RESPONSE)
        oracle_fail("error %d has category %d", rc, (int)e->category);
    if (!e->message || !*e->message)
        oracle_fail("error %d has an empty message", rc);
    oracle_check_error_strings(e);
}
