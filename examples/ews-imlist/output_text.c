/* ews-imlist: the human-readable tables.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define NONE "-"

/* ---- a growing string, for cells that join several values ---- */

typedef struct strbuf {
    char *s;
    size_t len, cap;
    int oom;
} strbuf;

static void sb_add(strbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->oom = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

/* Adds s after ", " unless it is the first item. */
static void sb_item(strbuf *b, const char *s)
{
    if (b->len)
        sb_add(b, ", ");
    sb_add(b, s);
}

static const char *sb_str(const strbuf *b)
{
    return b->len ? b->s : NONE;
}

/* ---- a table whose columns are as wide as their widest cell ---- */

typedef struct table {
    size_t ncols, nrows, cap;
    char **cells;   /* row-major, already made terminal-safe */
    int oom;
} table;

static void table_row(table *t, const char *const *cells)
{
    if (t->oom)
        return;
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        char **nc = realloc(t->cells, cap * t->ncols * sizeof *nc);
        if (!nc) {
            t->oom = 1;
            return;
        }
        t->cells = nc;
        t->cap = cap;
    }
    char **row = t->cells + t->nrows * t->ncols;
    for (size_t c = 0; c < t->ncols; c++) {
        row[c] = cli_text_clean(cells[c] ? cells[c] : NONE);
        if (!row[c])
            t->oom = 1;
    }
    t->nrows++;
}

static void table_free(table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
}

static void table_print(FILE *f, const table *t)
{
    size_t width[8] = { 0 };
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            size_t w = cli_text_width(t->cells[r * t->ncols + c]);
            if (w > width[c])
                width[c] = w;
        }
    for (size_t r = 0; r < t->nrows; r++) {
        fputs("  ", f);
        for (size_t c = 0; c < t->ncols; c++) {
            const char *cell = t->cells[r * t->ncols + c];
            fputs(cell, f);
            /* no padding after the last column: no trailing blanks */
            if (c + 1 < t->ncols)
                for (size_t pad = cli_text_width(cell); pad < width[c] + 2; pad++)
                    fputc(' ', f);
        }
        fputc('\n', f);
    }
}

/* ---- groups ---- */

static const char *group_type_label(const ews_im_group *g)
{
    switch (ews_im_group_type_of(g)) {
    case EWS_IM_GROUP_OTHER_CONTACTS: return "Other contacts";
    case EWS_IM_GROUP_TAGGED: return "Tagged";
    case EWS_IM_GROUP_FAVORITES: return "Favorites";
    case EWS_IM_GROUP_USER_GROUP: return "User group";
    case EWS_IM_GROUP_DL: return "Distribution group";
    case EWS_IM_GROUP_UNKNOWN: break;
    }
    /* a type this library does not know yet: show what the server said */
    return ews_im_group_type_raw(g) ? ews_im_group_type_raw(g) : "unknown";
}

static const char *persona_label(const ews_persona *p)
{
    const char *name = ews_persona_display_name(p);
    if (name && *name)
        return name;
    const ews_email_address *e = ews_persona_email(p);
    if (e && e->address)
        return e->address;
    return "(no name)";
}

static void group_members(strbuf *b, const ews_im_group *g)
{
    for (size_t i = 0; i < ews_im_group_persona_count(g); i++)
        sb_item(b, persona_label(ews_im_group_persona(g, i)));
    /* Members whose ItemId no persona attribution names. The reference data
     * of the EWS documentation has such members (its ids were shortened),
     * and so can a mailbox whose contact was deleted under a stale group. */
    size_t unmatched = ews_im_group_unmatched_member_count(g);
    if (unmatched) {
        char note[96];
        snprintf(note, sizeof note, "%s%zu member%s not among the personas",
                 b->len ? "+" : "", unmatched, unmatched == 1 ? "" : "s");
        sb_item(b, note);
    }
}

static void groups_table(table *t, const ews_imlist *list)
{
    const char *head[] = { "GROUP", "TYPE", "MEMBERS", "ID" };
    table_row(t, head);
    for (size_t i = 0; i < ews_imlist_group_count(list); i++) {
        const ews_im_group *g = ews_imlist_group(list, i);
        strbuf members = { 0 };
        group_members(&members, g);
        const char *name = ews_im_group_display_name(g);
        const char *row[] = { name && *name ? name : "(no name)", group_type_label(g),
                              sb_str(&members), ews_im_group_store_id(g).id };
        t->oom |= members.oom;
        table_row(t, row);
        free(members.s);
    }
}

/* ---- personas ---- */

static void persona_emails(strbuf *b, const ews_persona *p)
{
    const ews_email_address *primary = ews_persona_email(p);
    if (primary && primary->address)
        sb_item(b, primary->address);
    for (size_t i = 0; i < ews_persona_email_count(p); i++) {
        const ews_email_address *e = ews_persona_email_at(p, i);
        if (!e || !e->address)
            continue;
        if (primary && primary->address && strcmp(primary->address, e->address) == 0)
            continue;
        sb_item(b, e->address);
    }
}

static void persona_ims(strbuf *b, const ews_persona *p)
{
    for (size_t i = 0; i < ews_persona_im_address_count(p); i++)
        sb_item(b, ews_persona_im_address(p, i));
}

static void persona_phones(strbuf *b, const ews_persona *p)
{
    for (size_t i = 0; i < ews_persona_phone_count(p); i++) {
        const ews_phone *ph = ews_persona_phone(p, i);
        if (!ph || !ph->number)
            continue;
        sb_item(b, ph->number);
        if (ph->type) {
            sb_add(b, " (");
            sb_add(b, ph->type);
            sb_add(b, ")");
        }
    }
}

static void personas_table(table *t, const ews_imlist *list)
{
    const char *head[] = { "NAME", "E-MAIL", "IM", "PHONES", "ID" };
    table_row(t, head);
    for (size_t i = 0; i < ews_imlist_persona_count(list); i++) {
        const ews_persona *p = ews_imlist_persona(list, i);
        strbuf mail = { 0 }, im = { 0 }, phones = { 0 };
        persona_emails(&mail, p);
        persona_ims(&im, p);
        persona_phones(&phones, p);
        const char *name = ews_persona_display_name(p);
        const char *row[] = { name && *name ? name : "(no name)", sb_str(&mail), sb_str(&im),
                              sb_str(&phones), ews_persona_id(p) };
        t->oom |= mail.oom | im.oom | phones.oom;
        table_row(t, row);
        free(mail.s);
        free(im.s);
        free(phones.s);
    }
}

static void server_line(FILE *f, const ews_imlist *list)
{
    const ews_server_version *v = ews_imlist_server_version(list);
    if (!v)
        return;
    char *name = cli_text_clean(v->version ? v->version : "unknown version");
    fprintf(f, "Server: %s", name ? name : "?");
    free(name);
    if (v->major_version >= 0) {
        fprintf(f, " (%d.%d", v->major_version, v->minor_version < 0 ? 0 : v->minor_version);
        if (v->major_build >= 0)
            fprintf(f, ".%d.%d", v->major_build, v->minor_build < 0 ? 0 : v->minor_build);
        fputc(')', f);
    }
    fputs("\n\n", f);
}

int cli_print_text(FILE *f, const ews_imlist *list, int show_ids)
{
    /* The id is each table's last column: without --ids it is left out. */
    table groups = { .ncols = show_ids ? 4 : 3 }, personas = { .ncols = show_ids ? 5 : 4 };
    groups_table(&groups, list);
    personas_table(&personas, list);
    int oom = groups.oom || personas.oom;
    if (!oom) {
        size_t ng = ews_imlist_group_count(list), np = ews_imlist_persona_count(list);
        server_line(f, list);
        fprintf(f, "Groups: %zu\n", ng);
        if (ng)
            table_print(f, &groups);
        fprintf(f, "\nPersonas: %zu\n", np);
        if (np)
            table_print(f, &personas);
    }
    table_free(&groups);
    table_free(&personas);
    return oom ? CLI_EXIT_INTERNAL : 0;
}
