/* ews-imlist: the command words ("group add NAME", ...) and their operands.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

typedef struct command_def {
    const char *noun;      /* first word */
    const char *verb;      /* second word, NULL for one-word commands */
    cli_command command;
    const char *operands;  /* as the usage shows them; "" for none */
    size_t count;          /* how many */
} command_def;

static const command_def commands[] = {
    { "list", NULL, CLI_CMD_LIST, "", 0 },
    { "items", NULL, CLI_CMD_ITEMS, "", 0 },
    { "group", "add", CLI_CMD_GROUP_ADD, "NAME", 1 },
    { "group", "rename", CLI_CMD_GROUP_RENAME, "GROUP-ID NAME", 2 },
    { "group", "remove", CLI_CMD_GROUP_REMOVE, "GROUP-ID", 1 },
    { "contact", "add", CLI_CMD_CONTACT_ADD, "GROUP-ID IM-ADDRESS", 2 },
    { "contact", "add-tel", CLI_CMD_CONTACT_ADD_TEL, "GROUP-ID TEL-URI", 2 },
    { "contact", "remove", CLI_CMD_CONTACT_REMOVE, "PERSONA-ID", 1 },
    { "dl", "add", CLI_CMD_DL_ADD, "SMTP-ADDRESS", 1 },
    { "dl", "remove", CLI_CMD_DL_REMOVE, "GROUP-ID", 1 },
    { "export", NULL, CLI_CMD_EXPORT, "", 0 },
};

static const command_def *find(const char *noun, const char *verb)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].noun, noun) == 0 &&
            (!commands[i].verb || (verb && strcmp(commands[i].verb, verb) == 0)))
            return &commands[i];
    return NULL;
}

static int known_noun(const char *noun)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].noun, noun) == 0)
            return 1;
    return 0;
}

/* "add, rename or remove" for the usage message of a noun. */
static void verbs_of(const char *noun, char *out, size_t cap)
{
    out[0] = '\0';
    size_t n = 0, total = 0;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        total += strcmp(commands[i].noun, noun) == 0;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].noun, noun) != 0)
            continue;
        n++;
        size_t len = strlen(out);
        snprintf(out + len, cap - len, "%s%s", n == 1 ? "" : n == total ? " or " : ", ",
                 commands[i].verb);
    }
}

int cli_parse_command(cli_options *o, const char *const *words, size_t nwords, char *err,
                      size_t errlen)
{
    o->command = CLI_CMD_LIST;
    if (nwords == 0)
        return 0;
    /* The word is echoed cut short: it may be a secret typed in the wrong
     * place, and a URL given without --url is the likely mistake. */
    if (!known_noun(words[0]))
        return cli_fail(err, errlen,
                        "unexpected argument '%.64s' (commands: list, items, group, contact, dl, "
                        "export)",
                        words[0]);
    const command_def *d = find(words[0], nwords > 1 ? words[1] : NULL);
    if (!d) {
        char verbs[128];
        verbs_of(words[0], verbs, sizeof verbs);
        return cli_fail(err, errlen, "%s: expected %s%s%.32s%s", words[0], verbs,
                        nwords > 1 ? ", not '" : "", nwords > 1 ? words[1] : "",
                        nwords > 1 ? "'" : "");
    }
    size_t used = d->verb ? 2 : 1;
    size_t count = d->count;
    /* An existing contact is named by --existing instead of an address. */
    if (d->command == CLI_CMD_CONTACT_ADD && o->existing)
        count = 1;
    if (nwords - used != count) {
        const char *ops = d->command == CLI_CMD_CONTACT_ADD && o->existing ? "GROUP-ID"
                                                                          : d->operands;
        return cli_fail(err, errlen, "%s%s%s: expected %s%s", d->noun, d->verb ? " " : "",
                        d->verb ? d->verb : "", count ? ops : "no operands",
                        count ? "" : " (the ids go with --group and --persona)");
    }
    o->command = d->command;
    for (size_t i = 0; i < count; i++) {
        if (!*words[used + i])
            return cli_fail(err, errlen, "%s %s: an operand is empty", d->noun, d->verb);
        o->operand[i] = words[used + i];
    }
    if (d->command == CLI_CMD_CONTACT_ADD_TEL && strncasecmp(o->operand[1], "tel:", 4) != 0)
        return cli_fail(err, errlen, "contact add-tel: the number must be a tel: URI, e.g. "
                                     "tel:+14255550100");
    return 0;
}

const char *cli_operation_name(const cli_options *o)
{
    switch (o->command) {
    case CLI_CMD_LIST: return "GetImItemList";
    case CLI_CMD_ITEMS: return "GetImItems";
    case CLI_CMD_GROUP_ADD: return "AddImGroup";
    case CLI_CMD_GROUP_RENAME: return "SetImGroup";
    case CLI_CMD_GROUP_REMOVE: return "RemoveImGroup";
    case CLI_CMD_CONTACT_ADD: return o->existing ? "AddImContactToGroup" : "AddNewImContactToGroup";
    case CLI_CMD_CONTACT_ADD_TEL: return "AddNewTelUriContactToGroup";
    case CLI_CMD_CONTACT_REMOVE:
        return o->group_count ? "RemoveImContactFromGroup" : "RemoveContactFromImList";
    case CLI_CMD_DL_ADD: return "AddDistributionGroupToImList";
    case CLI_CMD_DL_REMOVE: return "RemoveDistributionGroupFromImList";
    case CLI_CMD_EXPORT: return "GetImItemList";
    }
    return NULL;
}
