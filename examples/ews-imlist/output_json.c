/* ews-imlist: --json, one object with every value as the server sent it.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Absent values are null rather than missing keys, so a consumer can index
 * every field without checking for it first.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

/* Every builder below may meet an allocation failure; rather than check
 * each call, the first failure is remembered here and reported once. */
typedef struct jb {
    int oom;
} jb;

static json_t *jstr(jb *b, const char *s)
{
    if (!s)
        return json_null();
    json_t *v = json_string(s);
    if (!v) {
        /* json_string refuses invalid UTF-8; a broken server should still
         * give valid JSON, with U+FFFD where its bytes were unusable. */
        char *fixed = cli_utf8_repair(s);
        v = fixed ? json_string(fixed) : NULL;
        free(fixed);
    }
    if (!v)
        b->oom = 1;
    return v;
}

static json_t *jbool(int v)
{
    return v < 0 ? json_null() : json_boolean(v);
}

static json_t *jint(jb *b, int v)
{
    if (v < 0)
        return json_null();
    json_t *j = json_integer(v);
    if (!j)
        b->oom = 1;
    return j;
}

static json_t *jobj(jb *b)
{
    json_t *o = json_object();
    if (!o)
        b->oom = 1;
    return o;
}

static json_t *jarr(jb *b)
{
    json_t *a = json_array();
    if (!a)
        b->oom = 1;
    return a;
}

/* jansson's *_new functions take v over even when they fail (a NULL
 * container included), so nothing leaks on these paths. */
static void set(jb *b, json_t *obj, const char *key, json_t *v)
{
    if (json_object_set_new(obj, key, v) != 0)
        b->oom = 1;
}

static void push(jb *b, json_t *arr, json_t *v)
{
    if (json_array_append_new(arr, v) != 0)
        b->oom = 1;
}

static json_t *item_id(jb *b, ews_item_id id)
{
    if (!id.id && !id.change_key)
        return json_null();
    json_t *o = jobj(b);
    set(b, o, "id", jstr(b, id.id));
    set(b, o, "change_key", jstr(b, id.change_key));
    return o;
}

static json_t *server_version(jb *b, const ews_imlist *list)
{
    const ews_server_version *v = ews_imlist_server_version(list);
    if (!v)
        return json_null();
    json_t *o = jobj(b);
    set(b, o, "major", jint(b, v->major_version));
    set(b, o, "minor", jint(b, v->minor_version));
    set(b, o, "major_build", jint(b, v->major_build));
    set(b, o, "minor_build", jint(b, v->minor_build));
    set(b, o, "version", jstr(b, v->version));
    return o;
}

static json_t *group(jb *b, const ews_im_group *g)
{
    json_t *o = jobj(b);
    set(b, o, "display_name", jstr(b, ews_im_group_display_name(g)));
    set(b, o, "group_type", jstr(b, ews_im_group_type_raw(g)));
    set(b, o, "store_id", item_id(b, ews_im_group_store_id(g)));
    set(b, o, "smtp_address", jstr(b, ews_im_group_smtp_address(g)));
    json_t *members = jarr(b);
    for (size_t i = 0; i < ews_im_group_member_count(g); i++)
        push(b, members, jstr(b, ews_im_group_member(g, i).id));
    set(b, o, "member_ids", members);
    json_t *personas = jarr(b);
    for (size_t i = 0; i < ews_im_group_persona_count(g); i++)
        push(b, personas, jstr(b, ews_persona_id(ews_im_group_persona(g, i))));
    set(b, o, "member_persona_ids", personas);
    return o;
}

static json_t *attribution(jb *b, const ews_attribution *a)
{
    json_t *o = jobj(b);
    set(b, o, "id", jstr(b, a->id));
    set(b, o, "source_id", item_id(b, a->source_id));
    set(b, o, "display_name", jstr(b, a->display_name));
    set(b, o, "is_writable", jbool(a->is_writable));
    set(b, o, "is_quick_contact", jbool(a->is_quick_contact));
    set(b, o, "is_hidden", jbool(a->is_hidden));
    return o;
}

static json_t *persona(jb *b, const ews_persona *p)
{
    json_t *o = jobj(b);
    set(b, o, "persona_id", jstr(b, ews_persona_id(p)));
    set(b, o, "persona_type", jstr(b, ews_persona_type(p)));
    set(b, o, "display_name", jstr(b, ews_persona_display_name(p)));
    set(b, o, "given_name", jstr(b, ews_persona_given_name(p)));
    set(b, o, "surname", jstr(b, ews_persona_surname(p)));
    const ews_email_address *primary = ews_persona_email(p);
    set(b, o, "email_address", jstr(b, primary ? primary->address : NULL));

    json_t *emails = jarr(b);
    for (size_t i = 0; i < ews_persona_email_count(p); i++) {
        const ews_email_address *e = ews_persona_email_at(p, i);
        push(b, emails, jstr(b, e ? e->address : NULL));
    }
    set(b, o, "email_addresses", emails);

    json_t *ims = jarr(b);
    for (size_t i = 0; i < ews_persona_im_address_count(p); i++)
        push(b, ims, jstr(b, ews_persona_im_address(p, i)));
    set(b, o, "im_addresses", ims);

    json_t *phones = jarr(b);
    for (size_t i = 0; i < ews_persona_phone_count(p); i++) {
        const ews_phone *ph = ews_persona_phone(p, i);
        json_t *po = jobj(b);
        set(b, po, "number", jstr(b, ph ? ph->number : NULL));
        set(b, po, "type", jstr(b, ph ? ph->type : NULL));
        push(b, phones, po);
    }
    set(b, o, "phones", phones);
    set(b, o, "creation_time", jstr(b, ews_persona_creation_time(p)));

    json_t *attrs = jarr(b);
    for (size_t i = 0; i < ews_persona_attribution_count(p); i++) {
        const ews_attribution *a = ews_persona_attribution(p, i);
        if (a)
            push(b, attrs, attribution(b, a));
    }
    set(b, o, "attributions", attrs);
    return o;
}

/* Writes root (taking it over) unless building it ran out of memory. */
static int dump(FILE *f, jb *b, json_t *root)
{
    int rc = 0;
    if (b->oom || !root) {
        fputs(CLI_NAME ": out of memory building the JSON output\n", stderr);
        rc = CLI_EXIT_INTERNAL;
    } else if (json_dumpf(root, f, JSON_INDENT(2)) != 0 || fputc('\n', f) == EOF) {
        rc = CLI_EXIT_INTERNAL;
    }
    json_decref(root);
    return rc;
}

int cli_print_json(FILE *f, const ews_imlist *list)
{
    jb b = { 0 };
    json_t *root = jobj(&b);
    set(&b, root, "server_version", server_version(&b, list));
    json_t *groups = jarr(&b);
    for (size_t i = 0; i < ews_imlist_group_count(list); i++)
        push(&b, groups, group(&b, ews_imlist_group(list, i)));
    set(&b, root, "groups", groups);
    json_t *personas = jarr(&b);
    for (size_t i = 0; i < ews_imlist_persona_count(list); i++)
        push(&b, personas, persona(&b, ews_imlist_persona(list, i)));
    set(&b, root, "personas", personas);
    return dump(f, &b, root);
}

int cli_print_json_group(FILE *f, const ews_im_group *g)
{
    jb b = { 0 };
    json_t *root = group(&b, g);
    return dump(f, &b, root);
}

int cli_print_json_persona(FILE *f, const ews_persona *p)
{
    jb b = { 0 };
    json_t *root = persona(&b, p);
    return dump(f, &b, root);
}
