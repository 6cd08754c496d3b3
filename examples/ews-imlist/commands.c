/* ews-imlist: each command as calls of the library (ews/imops.h), and
 * what it prints.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "cli.h"

/* Every command makes one EWS call, so the failure is that operation's. */
static int failed(const cli_options *o, ews_client *client, int rc)
{
    const ews_error *e = ews_client_last_error(client);
    cli_report_error(stderr, cli_operation_name(o), rc, e);
    return cli_exit_status(rc, e);
}

/* The operations without a result leave a ResponseClass="Warning" in the
 * client's last error; the change was made all the same. */
static void warn_if_any(const cli_options *o, ews_client *client)
{
    const ews_error *w = ews_client_last_error(client);
    if (w && (w->response_code || w->soap_faultcode))
        cli_report_warning(stderr, cli_operation_name(o), w);
}

static int show(const cli_options *o, const ews_imlist *list)
{
    int status = o->json ? cli_print_json(stdout, list)
                         : cli_print_text(stdout, list, o->show_ids);
    const ews_error *w = ews_imlist_warning(list);
    if (w)
        cli_report_warning(stderr, cli_operation_name(o), w);
    return status;
}

static ews_item_id item(const char *id)
{
    ews_item_id i = { id, NULL };
    return i;
}

static int list(const cli_options *o, ews_client *client)
{
    ews_imlist *l = NULL;
    int rc = ews_get_im_item_list(&l, client, NULL);
    int status = rc ? failed(o, client, rc) : show(o, l);
    ews_imlist_free(l);
    return status;
}

static int items(const cli_options *o, ews_client *client)
{
    ews_item_id groups[CLI_MAX_IDS], personas[CLI_MAX_IDS];
    for (size_t i = 0; i < o->group_count; i++)
        groups[i] = item(o->group_ids[i]);
    for (size_t i = 0; i < o->persona_count; i++)
        personas[i] = item(o->persona_ids[i]);
    ews_imlist *l = NULL;
    int rc = ews_get_im_items(&l, client, personas, o->persona_count, groups, o->group_count,
                              NULL);
    int status = rc ? failed(o, client, rc) : show(o, l);
    ews_imlist_free(l);
    return status;
}

/* Prints the group or persona a creating command answered with: "Added
 * <kind> "<name>"<after_name> (id <id>)<after_id>". */
static int created(const cli_options *o, ews_client *client, int rc, ews_imlist *l,
                   const char *kind, const char *after_name, const char *after_id)
{
    if (rc) {
        ews_imlist_free(l);
        return failed(o, client, rc);
    }
    const ews_im_group *g = ews_imlist_group(l, 0);
    const ews_persona *p = g ? NULL : ews_imlist_persona(l, 0);
    const char *name = g ? ews_im_group_display_name(g) : ews_persona_display_name(p);
    const char *id = g ? ews_im_group_store_id(g).id : ews_persona_id(p);
    /* A telephone contact has an empty display name (as Exchange makes it). */
    if (p && (!name || !*name))
        name = ews_persona_display_name_first_last(p);
    int status = cli_print_done(stdout, o->json, g, p, "Added %s \"%s\"%s (id %s)%s", kind,
                                name ? name : "", after_name, id ? id : "unknown", after_id);
    const ews_error *w = ews_imlist_warning(l);
    if (w)
        cli_report_warning(stderr, cli_operation_name(o), w);
    ews_imlist_free(l);
    return status;
}

static int changed(const cli_options *o, ews_client *client, int rc, const char *line)
{
    if (rc)
        return failed(o, client, rc);
    int status = cli_print_done(stdout, o->json, NULL, NULL, "%s", line);
    warn_if_any(o, client);
    return status;
}

static int contact_add(const cli_options *o, ews_client *client)
{
    ews_item_id group = item(o->operand[0]);
    char line[512];
    if (o->existing) {
        int rc = ews_add_im_contact_to_group(client, item(o->existing), &group, NULL);
        snprintf(line, sizeof line, "Added contact %s to group %s", o->existing, o->operand[0]);
        return changed(o, client, rc, line);
    }
    ews_imlist *l = NULL;
    int rc = ews_add_new_im_contact_to_group(&l, client, o->operand[1], o->name, &group, NULL);
    snprintf(line, sizeof line, " to group %s", o->operand[0]);
    return created(o, client, rc, l, "contact", "", line);
}

static int contact_add_tel(const cli_options *o, ews_client *client)
{
    ews_item_id group = item(o->operand[0]);
    const char *tel = o->operand[1];
    /* tel:+14255550100 is the number +14255550100; a tel: URI names the
     * contact well enough when no SIP URI is known. */
    const char *number = o->number ? o->number : tel + strlen("tel:");
    const char *sip = o->sip ? o->sip : tel;
    ews_imlist *l = NULL;
    int rc = ews_add_new_tel_uri_contact_to_group(&l, client, tel, sip, number, &group, NULL);
    char detail[512];
    snprintf(detail, sizeof detail, " to group %s", o->operand[0]);
    return created(o, client, rc, l, "telephone contact", "", detail);
}

static int contact_remove(const cli_options *o, ews_client *client)
{
    ews_item_id persona = item(o->operand[0]);
    char line[512];
    if (o->group_count) {
        int rc = ews_remove_im_contact_from_group(client, persona, item(o->group_ids[0]), NULL);
        snprintf(line, sizeof line, "Removed contact %s from group %s", o->operand[0],
                 o->group_ids[0]);
        return changed(o, client, rc, line);
    }
    int rc = ews_remove_contact_from_im_list(client, persona, NULL);
    snprintf(line, sizeof line, "Removed contact %s from the IM list", o->operand[0]);
    return changed(o, client, rc, line);
}

int cli_run_command(const cli_options *o, ews_client *client)
{
    ews_imlist *l = NULL;
    char line[512];
    int rc;
    switch (o->command) {
    case CLI_CMD_LIST:
        return list(o, client);
    case CLI_CMD_ITEMS:
        return items(o, client);
    case CLI_CMD_GROUP_ADD:
        rc = ews_add_im_group(&l, client, o->operand[0], NULL);
        return created(o, client, rc, l, "group", "", "");
    case CLI_CMD_GROUP_RENAME:
        rc = ews_set_im_group(client, item(o->operand[0]), o->operand[1], NULL);
        snprintf(line, sizeof line, "Renamed group %s to \"%s\"", o->operand[0], o->operand[1]);
        return changed(o, client, rc, line);
    case CLI_CMD_GROUP_REMOVE:
        rc = ews_remove_im_group(client, item(o->operand[0]), NULL);
        snprintf(line, sizeof line, "Removed group %s", o->operand[0]);
        return changed(o, client, rc, line);
    case CLI_CMD_CONTACT_ADD:
        return contact_add(o, client);
    case CLI_CMD_CONTACT_ADD_TEL:
        return contact_add_tel(o, client);
    case CLI_CMD_CONTACT_REMOVE:
        return contact_remove(o, client);
    case CLI_CMD_DL_ADD:
        /* The schema wants a name; the address is what Exchange shows
         * when it has none. */
        rc = ews_add_distribution_group_to_im_list(&l, client, o->operand[0],
                                                   o->name ? o->name : o->operand[0], NULL);
        snprintf(line, sizeof line, " <%s>", o->operand[0]);
        return created(o, client, rc, l, "distribution group", line, "");
    case CLI_CMD_DL_REMOVE:
        rc = ews_remove_distribution_group_from_im_list(client, item(o->operand[0]), NULL);
        snprintf(line, sizeof line, "Removed distribution group %s", o->operand[0]);
        return changed(o, client, rc, line);
    case CLI_CMD_EXPORT: /* main.c runs it with clients of its own */
        break;
    }
    fputs(CLI_NAME ": internal error: unknown command\n", stderr);
    return CLI_EXIT_INTERNAL;
}
