/* ews-imlist: --json, one object with every value as the server sent it.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Absent values are null rather than missing keys, so a consumer can index
 * every field without checking for it first.
 *
 * Written as the list is walked, through a small buffer, rather than built
 * as a document first: a document of a large list cost several times the
 * response's size in memory and more time than the parse (docs/PERFORMANCE.md,
 * "Streaming JSON output"). Nothing here allocates, so the only failure is
 * a write error, reported by the caller as an internal error. The layout is
 * the one jansson's json_dumpf gave (JSON_INDENT(2), or JSON_COMPACT on one
 * line), escapes included, so that output stays byte for byte what it was.
 */
#include <stdint.h>
#include <string.h>

#include "cli.h"

/* Deeper than any value below (list > personas > persona > attribution >
 * source_id). */
#define JW_MAX_DEPTH 8

typedef struct jw {
    FILE *f;
    int pretty;
    int err;
    int depth;
    unsigned char first[JW_MAX_DEPTH];   /* no member written yet at this depth */
    unsigned char array[JW_MAX_DEPTH];   /* the container at this depth is an array */
    size_t n;
    char buf[16384];
} jw;

static void jw_init(jw *w, FILE *f, int pretty)
{
    w->f = f;
    w->pretty = pretty;
    w->err = 0;
    w->depth = 0;
    w->first[0] = 1;
    w->array[0] = 0;
    w->n = 0;
}

static void jw_flush(jw *w)
{
    if (w->n && !w->err && fwrite(w->buf, 1, w->n, w->f) != w->n)
        w->err = 1;
    w->n = 0;
}

static void jw_put(jw *w, const char *s, size_t len)
{
    if (len > sizeof w->buf - w->n) {
        jw_flush(w);
        if (len > sizeof w->buf) {
            if (!w->err && fwrite(s, 1, len, w->f) != len)
                w->err = 1;
            return;
        }
    }
    memcpy(w->buf + w->n, s, len);
    w->n += len;
}

static void jw_putc(jw *w, char c)
{
    if (w->n == sizeof w->buf)
        jw_flush(w);
    w->buf[w->n++] = c;
}

#define JW_LIT(w, s) jw_put((w), (s), sizeof(s) - 1)

static void jw_newline(jw *w, int depth)
{
    if (!w->pretty)
        return;
    jw_putc(w, '\n');
    for (int i = 0; i < depth; i++)
        JW_LIT(w, "  ");
}

/* Before a member of an object (its key) or an element of an array. */
static void jw_sep(jw *w)
{
    if (!w->first[w->depth])
        jw_putc(w, ',');
    w->first[w->depth] = 0;
    jw_newline(w, w->depth);
}

/* Before a value: in an array that is where the separator goes; in an
 * object the key has written it. */
static void jw_value(jw *w)
{
    if (w->depth > 0 && w->array[w->depth])
        jw_sep(w);
}

static void jw_string_body(jw *w, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *run = p;   /* bytes that go out as they are */
    for (;;) {
        unsigned char c = *p;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            p++;
            continue;
        }
        size_t n = 0;
        if (c >= 0x80) {
            n = cli_utf8_len((const char *)p);
            if (n) {
                p += n;
                continue;
            }
        }
        jw_put(w, (const char *)run, (size_t)(p - run));
        if (c == '\0')
            break;
        if (c >= 0x80) {
            /* not UTF-8: U+FFFD, as cli_utf8_repair does */
            JW_LIT(w, "\xEF\xBF\xBD");
        } else if (c == '"') {
            JW_LIT(w, "\\\"");
        } else if (c == '\\') {
            JW_LIT(w, "\\\\");
        } else if (c == '\b') {
            JW_LIT(w, "\\b");
        } else if (c == '\f') {
            JW_LIT(w, "\\f");
        } else if (c == '\n') {
            JW_LIT(w, "\\n");
        } else if (c == '\r') {
            JW_LIT(w, "\\r");
        } else if (c == '\t') {
            JW_LIT(w, "\\t");
        } else {
            char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            jw_put(w, u, sizeof u);
        }
        run = ++p;
    }
}

static void jw_str(jw *w, const char *s)
{
    jw_value(w);
    if (!s) {
        JW_LIT(w, "null");
        return;
    }
    jw_putc(w, '"');
    jw_string_body(w, s);
    jw_putc(w, '"');
}

static void jw_key(jw *w, const char *key)
{
    jw_sep(w);
    jw_putc(w, '"');
    jw_string_body(w, key);
    if (w->pretty)
        JW_LIT(w, "\": ");
    else
        JW_LIT(w, "\":");
}

static void jw_open(jw *w, int array)
{
    jw_value(w);
    jw_putc(w, array ? '[' : '{');
    w->depth++;
    w->first[w->depth] = 1;
    w->array[w->depth] = (unsigned char)array;
}

static void jw_close(jw *w)
{
    int array = w->array[w->depth];
    int empty = w->first[w->depth];
    w->depth--;
    if (!empty)
        jw_newline(w, w->depth);
    jw_putc(w, array ? ']' : '}');
}

/* A negative value is the accessors' "absent". */
static void jw_int(jw *w, int v)
{
    jw_value(w);
    if (v < 0) {
        JW_LIT(w, "null");
        return;
    }
    char d[12];
    size_t i = sizeof d;
    unsigned u = (unsigned)v;
    do {
        d[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    jw_put(w, d + i, sizeof d - i);
}

static void jw_bool(jw *w, int v)
{
    jw_value(w);
    if (v < 0)
        JW_LIT(w, "null");
    else if (v)
        JW_LIT(w, "true");
    else
        JW_LIT(w, "false");
}

static void jw_null(jw *w)
{
    jw_value(w);
    JW_LIT(w, "null");
}

static int jw_end(jw *w)
{
    jw_flush(w);
    return w->err ? CLI_EXIT_INTERNAL : 0;
}

static void item_id(jw *w, ews_item_id id)
{
    if (!id.id && !id.change_key) {
        jw_null(w);
        return;
    }
    jw_open(w, 0);
    jw_key(w, "id");
    jw_str(w, id.id);
    jw_key(w, "change_key");
    jw_str(w, id.change_key);
    jw_close(w);
}

static void server_version(jw *w, const ews_imlist *list)
{
    const ews_server_version *v = ews_imlist_server_version(list);
    if (!v) {
        jw_null(w);
        return;
    }
    jw_open(w, 0);
    jw_key(w, "major");
    jw_int(w, v->major_version);
    jw_key(w, "minor");
    jw_int(w, v->minor_version);
    jw_key(w, "major_build");
    jw_int(w, v->major_build);
    jw_key(w, "minor_build");
    jw_int(w, v->minor_build);
    jw_key(w, "version");
    jw_str(w, v->version);
    jw_close(w);
}

static void group(jw *w, const ews_im_group *g)
{
    jw_open(w, 0);
    jw_key(w, "display_name");
    jw_str(w, ews_im_group_display_name(g));
    jw_key(w, "group_type");
    jw_str(w, ews_im_group_type_raw(g));
    jw_key(w, "store_id");
    item_id(w, ews_im_group_store_id(g));
    jw_key(w, "smtp_address");
    jw_str(w, ews_im_group_smtp_address(g));
    jw_key(w, "member_ids");
    jw_open(w, 1);
    for (size_t i = 0; i < ews_im_group_member_count(g); i++)
        jw_str(w, ews_im_group_member(g, i).id);
    jw_close(w);
    jw_key(w, "member_persona_ids");
    jw_open(w, 1);
    for (size_t i = 0; i < ews_im_group_persona_count(g); i++)
        jw_str(w, ews_persona_id(ews_im_group_persona(g, i)));
    jw_close(w);
    jw_close(w);
}

static void attribution(jw *w, const ews_attribution *a)
{
    jw_open(w, 0);
    jw_key(w, "id");
    jw_str(w, a->id);
    jw_key(w, "source_id");
    item_id(w, a->source_id);
    jw_key(w, "display_name");
    jw_str(w, a->display_name);
    jw_key(w, "is_writable");
    jw_bool(w, a->is_writable);
    jw_key(w, "is_quick_contact");
    jw_bool(w, a->is_quick_contact);
    jw_key(w, "is_hidden");
    jw_bool(w, a->is_hidden);
    jw_close(w);
}

static void persona(jw *w, const ews_persona *p)
{
    jw_open(w, 0);
    jw_key(w, "persona_id");
    jw_str(w, ews_persona_id(p));
    jw_key(w, "persona_type");
    jw_str(w, ews_persona_type(p));
    jw_key(w, "display_name");
    jw_str(w, ews_persona_display_name(p));
    jw_key(w, "given_name");
    jw_str(w, ews_persona_given_name(p));
    jw_key(w, "surname");
    jw_str(w, ews_persona_surname(p));
    const ews_email_address *primary = ews_persona_email(p);
    jw_key(w, "email_address");
    jw_str(w, primary ? primary->address : NULL);

    jw_key(w, "email_addresses");
    jw_open(w, 1);
    for (size_t i = 0; i < ews_persona_email_count(p); i++) {
        const ews_email_address *e = ews_persona_email_at(p, i);
        jw_str(w, e ? e->address : NULL);
    }
    jw_close(w);

    jw_key(w, "im_addresses");
    jw_open(w, 1);
    for (size_t i = 0; i < ews_persona_im_address_count(p); i++)
        jw_str(w, ews_persona_im_address(p, i));
    jw_close(w);

    jw_key(w, "phones");
    jw_open(w, 1);
    for (size_t i = 0; i < ews_persona_phone_count(p); i++) {
        const ews_phone *ph = ews_persona_phone(p, i);
        jw_open(w, 0);
        jw_key(w, "number");
        jw_str(w, ph ? ph->number : NULL);
        jw_key(w, "type");
        jw_str(w, ph ? ph->type : NULL);
        jw_close(w);
    }
    jw_close(w);
    jw_key(w, "creation_time");
    jw_str(w, ews_persona_creation_time(p));

    jw_key(w, "attributions");
    jw_open(w, 1);
    for (size_t i = 0; i < ews_persona_attribution_count(p); i++) {
        const ews_attribution *a = ews_persona_attribution(p, i);
        if (a)
            attribution(w, a);
    }
    jw_close(w);
    jw_close(w);
}

int cli_json_write_list(FILE *f, const ews_imlist *list, const char *lead, int one_line)
{
    jw w;
    jw_init(&w, f, !one_line);
    jw_open(&w, 0);
    if (lead && *lead) {
        /* one member as far as the layout is concerned: it is the caller's */
        jw_sep(&w);
        jw_put(&w, lead, strlen(lead));
    }
    jw_key(&w, "server_version");
    server_version(&w, list);
    jw_key(&w, "groups");
    jw_open(&w, 1);
    for (size_t i = 0; i < ews_imlist_group_count(list); i++)
        group(&w, ews_imlist_group(list, i));
    jw_close(&w);
    jw_key(&w, "personas");
    jw_open(&w, 1);
    for (size_t i = 0; i < ews_imlist_persona_count(list); i++)
        persona(&w, ews_imlist_persona(list, i));
    jw_close(&w);
    jw_close(&w);
    return jw_end(&w);
}

int cli_json_write_string(FILE *f, const char *s)
{
    jw w;
    jw_init(&w, f, 0);
    jw_str(&w, s);
    return jw_end(&w);
}

/* A whole document: the value, a newline, and everything handed to f. A
 * write error that stdio holds back until the flush still fails the run. */
static int finish(FILE *f, int status)
{
    if (status == 0 && (fputc('\n', f) == EOF || fflush(f) != 0))
        status = CLI_EXIT_INTERNAL;
    return status;
}

int cli_print_json(FILE *f, const ews_imlist *list)
{
    return finish(f, cli_json_write_list(f, list, NULL, 0));
}

int cli_print_json_group(FILE *f, const ews_im_group *g)
{
    jw w;
    jw_init(&w, f, 1);
    group(&w, g);
    return finish(f, jw_end(&w));
}

int cli_print_json_persona(FILE *f, const ews_persona *p)
{
    jw w;
    jw_init(&w, f, 1);
    persona(&w, p);
    return finish(f, jw_end(&w));
}
