/* ews-imlist: command-line parsing and the checks that need no network.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

enum opt_id {
    OPT_URL, OPT_USER, OPT_AUTH, OPT_PASSWORD_FILE, OPT_TOKEN_FILE, OPT_IMPERSONATE,
    OPT_CULTURE, OPT_SERVER_VERSION, OPT_CAFILE, OPT_TIMEOUT, OPT_RETRIES,
    OPT_INSECURE_HTTP, OPT_JSON, OPT_TRACE, OPT_FROM_FILE, OPT_STRICT, OPT_DEMO,
    OPT_HELP, OPT_VERSION, OPT_GROUP, OPT_PERSONA, OPT_EXISTING, OPT_NAME, OPT_SIP, OPT_NUMBER,
    OPT_IDS, OPT_CHANNEL_BINDING, OPT_PROXY, OPT_NOPROXY, OPT_VERBOSE,
    OPT_EMAIL, OPT_RESOLVE, OPT_CONNECT_TO, OPT_NO_CACHE, /* Autodiscover (issue 15) */
    OPT_MAILBOXES, OPT_IMPERSONATE_KIND, OPT_JOBS, OPT_OUTPUT, OPT_RESUME, /* export (16) */
    OPT_COUNT_
};

typedef struct opt_def {
    const char *name;
    int has_arg;        /* getopt_long's no_argument / required_argument */
    char short_name;    /* 0: long only */
} opt_def;

/* Indexed by enum opt_id: messages name an option by its id. A new option
 * is one line here, one in enum opt_id and its case in set_value or
 * set_flag; getopt_long's tables are made from this one. */
static const opt_def opts[OPT_COUNT_] = {
    [OPT_URL] = { .name = "url", .has_arg = required_argument },
    [OPT_USER] = { .name = "user", .has_arg = required_argument, .short_name = 'u' },
    [OPT_AUTH] = { .name = "auth", .has_arg = required_argument },
    [OPT_PASSWORD_FILE] = { .name = "password-file", .has_arg = required_argument },
    [OPT_TOKEN_FILE] = { .name = "token-file", .has_arg = required_argument },
    [OPT_IMPERSONATE] = { .name = "impersonate", .has_arg = required_argument },
    [OPT_CULTURE] = { .name = "culture", .has_arg = required_argument },
    [OPT_SERVER_VERSION] = { .name = "server-version", .has_arg = required_argument },
    [OPT_CAFILE] = { .name = "cafile", .has_arg = required_argument },
    [OPT_TIMEOUT] = { .name = "timeout", .has_arg = required_argument },
    [OPT_RETRIES] = { .name = "retries", .has_arg = required_argument },
    [OPT_INSECURE_HTTP] = { .name = "insecure-http", .has_arg = no_argument },
    [OPT_JSON] = { .name = "json", .has_arg = no_argument },
    [OPT_TRACE] = { .name = "trace", .has_arg = required_argument },
    [OPT_FROM_FILE] = { .name = "from-file", .has_arg = required_argument },
    [OPT_STRICT] = { .name = "strict", .has_arg = no_argument },
    [OPT_DEMO] = { .name = "demo", .has_arg = no_argument },
    [OPT_HELP] = { .name = "help", .has_arg = no_argument, .short_name = 'h' },
    [OPT_VERSION] = { .name = "version", .has_arg = no_argument, .short_name = 'V' },
    [OPT_GROUP] = { .name = "group", .has_arg = required_argument },
    [OPT_PERSONA] = { .name = "persona", .has_arg = required_argument },
    [OPT_EXISTING] = { .name = "existing", .has_arg = required_argument },
    [OPT_NAME] = { .name = "name", .has_arg = required_argument },
    [OPT_SIP] = { .name = "sip", .has_arg = required_argument },
    [OPT_NUMBER] = { .name = "number", .has_arg = required_argument },
    [OPT_IDS] = { .name = "ids", .has_arg = no_argument },
    [OPT_CHANNEL_BINDING] = { .name = "channel-binding", .has_arg = required_argument },
    [OPT_PROXY] = { .name = "proxy", .has_arg = required_argument },
    [OPT_NOPROXY] = { .name = "noproxy", .has_arg = required_argument },
    [OPT_VERBOSE] = { .name = "verbose", .has_arg = no_argument, .short_name = 'v' },
    /* Autodiscover (issue 15) */
    [OPT_EMAIL] = { .name = "email", .has_arg = required_argument },
    [OPT_RESOLVE] = { .name = "resolve", .has_arg = required_argument },
    [OPT_CONNECT_TO] = { .name = "connect-to", .has_arg = required_argument },
    [OPT_NO_CACHE] = { .name = "no-cache", .has_arg = no_argument },
    /* export (issue 16) */
    [OPT_MAILBOXES] = { .name = "mailboxes", .has_arg = required_argument },
    [OPT_IMPERSONATE_KIND] = { .name = "impersonate-kind", .has_arg = required_argument },
    [OPT_JOBS] = { .name = "jobs", .has_arg = required_argument, .short_name = 'j' },
    [OPT_OUTPUT] = { .name = "output", .has_arg = required_argument, .short_name = 'o' },
    [OPT_RESUME] = { .name = "resume", .has_arg = no_argument },
};

/* getopt_long's value for a long-only option: above every char. */
#define LONG_VAL(id) (256 + (int)(id))

/* The options that belong to particular commands, and which. */
typedef struct command_opt {
    enum opt_id id;
    unsigned commands;   /* bit (1u << cli_command) */
} command_opt;

#define CMD(c) (1u << (c))

static const command_opt command_opts[] = {
    { OPT_GROUP, CMD(CLI_CMD_ITEMS) | CMD(CLI_CMD_CONTACT_REMOVE) },
    { OPT_PERSONA, CMD(CLI_CMD_ITEMS) },
    { OPT_EXISTING, CMD(CLI_CMD_CONTACT_ADD) },
    { OPT_NAME, CMD(CLI_CMD_CONTACT_ADD) | CMD(CLI_CMD_DL_ADD) },
    { OPT_SIP, CMD(CLI_CMD_CONTACT_ADD_TEL) },
    { OPT_NUMBER, CMD(CLI_CMD_CONTACT_ADD_TEL) },
    { OPT_IDS, CMD(CLI_CMD_LIST) | CMD(CLI_CMD_ITEMS) },
    { OPT_MAILBOXES, CMD(CLI_CMD_EXPORT) },
    { OPT_IMPERSONATE_KIND, CMD(CLI_CMD_EXPORT) },
    { OPT_JOBS, CMD(CLI_CMD_EXPORT) },
    { OPT_OUTPUT, CMD(CLI_CMD_EXPORT) },
    { OPT_RESUME, CMD(CLI_CMD_EXPORT) },
};

static const char *const command_names[] = {
    "list", "items", "group add", "group rename", "group remove", "contact add",
    "contact add-tel", "contact remove", "dl add", "dl remove", "export",
};

/* Most words (command and operands) a command line can have. */
#define MAX_WORDS 4

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

void cli_print_help(FILE *f)
{
    fputs(
        "Usage: " CLI_NAME " [options] [COMMAND] [--] [OPERANDS]\n"
        "Read and change the IM list of an Exchange mailbox: its IM groups and contact\n"
        "personas (EWS GetImItemList and the other IM-list operations).\n"
        "Without --url and --from-file it runs as --demo, unless --email (or $EWS_EMAIL)\n"
        "gives an address to find the server by Autodiscover.\n"
        "\n"
        "Commands (ids as shown by --ids or --json):\n"
        "  list                      the whole list; the default (GetImItemList)\n"
        "  items [--group GROUP-ID]... [--persona PERSONA-ID]...\n"
        "                            just these groups and contacts (GetImItems)\n"
        "  group add NAME            create a group (AddImGroup)\n"
        "  group rename GROUP-ID NAME  (SetImGroup)\n"
        "  group remove GROUP-ID     remove a group; its contacts stay (RemoveImGroup)\n"
        "  contact add GROUP-ID IM-ADDRESS [--name NAME]\n"
        "                            a new contact in the group (AddNewImContactToGroup)\n"
        "  contact add GROUP-ID --existing PERSONA-ID\n"
        "                            put a contact of the list in the group\n"
        "                            (AddImContactToGroup)\n"
        "  contact add-tel GROUP-ID TEL-URI [--sip SIP-URI] [--number NUMBER]\n"
        "                            a telephone contact (AddNewTelUriContactToGroup);\n"
        "                            the number defaults to the URI's, the SIP URI to TEL-URI\n"
        "  contact remove PERSONA-ID [--group GROUP-ID]\n"
        "                            off the list and out of every group\n"
        "                            (RemoveContactFromImList), or out of one group\n"
        "                            (RemoveImContactFromGroup)\n"
        "  dl add SMTP-ADDRESS [--name NAME]\n"
        "                            a distribution group (AddDistributionGroupToImList)\n"
        "  dl remove GROUP-ID        (RemoveDistributionGroupFromImList)\n"
        "  export --mailboxes FILE [--jobs N] [--output FILE [--resume]]\n"
        "                            every listed mailbox's list through impersonation, one\n"
        "                            JSON object a line (NDJSON); FILE '-': standard input\n"
        "\n"
        "Server:\n"
        "  --url URL                 EWS endpoint, e.g. https://mail.contoso.com/EWS/Exchange.asmx\n"
        "                            (default $EWS_URL)\n"
        "  --email ADDRESS           find the endpoint by Autodiscover (else $EWS_EMAIL); --url wins\n"
        "  --no-cache                do not use or update the endpoint cache (~/.cache/ews-c)\n"
        "  --resolve HOST:PORT:ADDR  use ADDR for HOST:PORT, as curl's --resolve; repeatable\n"
        "  --connect-to H:P:H2:P2    connect to H2:P2 for H:P, as curl's --connect-to; repeatable\n"
        "  -u, --user USER           DOMAIN\\user or user@domain (default $EWS_USER)\n"
        "  --auth METHOD             auto (default with --user), basic, ntlm, negotiate, bearer\n"
        "                            (default $EWS_AUTH)\n"
        "  --password-file FILE      password in FILE; else $EWS_PASSWORD; else asked on the terminal\n"
        "  --token-file FILE         OAuth bearer token in FILE (re-read when refused); else $EWS_TOKEN\n"
        "  --impersonate KIND:VALUE  act as another mailbox: primary:ADDR, smtp:ADDR, upn:NAME, sid:SID\n"
        "  --culture TAG             MailboxCulture, e.g. en-US\n"
        "  --server-version NAME     RequestServerVersion (default Exchange2013)\n"
        "  --cafile FILE             trust the CA certificates in FILE (PEM)\n"
        "  --channel-binding MODE    bind NTLM/Negotiate to the TLS certificate (Extended\n"
        "                            Protection): auto (default), require, off\n"
        "  --timeout SECONDS         limit for each HTTP exchange (default 120; 0: none)\n"
        "  --retries N               retries of a busy or unavailable server (default 4;\n"
        "                            0: none)\n"
        "  --proxy URL               HTTP(S) proxy, e.g. http://proxy:3128 (default: the\n"
        "                            https_proxy, http_proxy, all_proxy variables)\n"
        "  --noproxy LIST            hosts reached directly, comma-separated, '*' for all\n"
        "                            (default $no_proxy); loopback never uses a proxy\n"
        "  --insecure-http           allow a plain http:// URL and credentials over it\n"
        "                            (loopback and lab servers only)\n"
        "  --trace FILE              write requests and responses to FILE ('-': standard\n"
        "                            error), secrets masked\n"
        "\n"
        "Export:\n"
        "  --mailboxes FILE          one address a line ('-': standard input)\n"
        "  --impersonate-kind KIND   how they are given: primary (default), smtp, upn\n"
        "  -j, --jobs N              parallel workers, one connection each (default 1)\n"
        "  -o, --output FILE         append the lines to FILE (flushed line by line)\n"
        "  --resume                  skip the mailboxes FILE has; drop a cut-off last line\n"
        "\n"
        "Other sources:\n"
        "  --from-file FILE          parse a saved GetImItemList response ('-': standard input)\n"
        "  --demo                    use the demo mailbox of a built-in server on 127.0.0.1\n"
        "                            (changes last for the one command)\n"
        "\n"
        "Output and checks:\n"
        "  --json                    JSON instead of text: the list as one object; a created\n"
        "                            group or contact as an object shaped like the list's;\n"
        "                            {} after other changes\n"
        "  --ids                     show the group and persona ids in the tables\n"
        "  --strict                  reject what the EWS schema does not allow\n"
        "  -v, --verbose             one line on standard error per retry, authentication\n"
        "                            leg and redirect not followed\n"
        "  -h, --help                show this help\n"
        "  -V, --version             show the version\n"
        "\n"
        "'--' ends the options: what follows is the command and its operands, even if\n"
        "it starts with '-' (e.g. group add -- -x).\n"
        "No option takes a password: use --password-file, EWS_PASSWORD or the prompt.\n"
        "\n"
        "Exit status: 0 success, 1 internal error, 2 usage (also an unreadable file given\n"
        "as an option), 3 authentication, 4 EWS error, 5 transport, TLS or timeout,\n"
        "6 invalid response, 7 server busy or unavailable after the retries (try later).\n",
        f);
}

static int find_long(const char *name, size_t len)
{
    for (int i = 0; i < OPT_COUNT_; i++)
        if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
            return i;
    return -1;
}

static int find_short(char c)
{
    for (int i = 0; i < OPT_COUNT_; i++)
        if (opts[i].short_name && opts[i].short_name == c)
            return i;
    return -1;
}

static int parse_auth(const char *v, ews_auth_method *out)
{
    static const struct { const char *name; ews_auth_method m; } methods[] = {
        { "auto", EWS_AUTH_AUTO }, { "basic", EWS_AUTH_BASIC }, { "ntlm", EWS_AUTH_NTLM },
        { "negotiate", EWS_AUTH_NEGOTIATE }, { "bearer", EWS_AUTH_BEARER },
    };
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(v, methods[i].name) == 0) {
            *out = methods[i].m;
            return 0;
        }
    return -1;
}

static int parse_impersonation(const char *v, ews_impersonation *out)
{
    static const struct { const char *prefix; ews_impersonation_kind kind; } kinds[] = {
        { "primary:", EWS_IMPERSONATE_PRIMARY_SMTP }, { "smtp:", EWS_IMPERSONATE_SMTP },
        { "upn:", EWS_IMPERSONATE_PRINCIPAL_NAME }, { "sid:", EWS_IMPERSONATE_SID },
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t n = strlen(kinds[i].prefix);
        if (strncmp(v, kinds[i].prefix, n) == 0 && v[n] != '\0') {
            out->kind = kinds[i].kind;
            out->value = v + n;
            return 0;
        }
    }
    return -1;
}

/* A whole decimal number in [min, max]. */
static int parse_long(const char *v, long min, long max, long *out)
{
    char *end;
    errno = 0;
    if (*v < '0' || *v > '9')
        return -1;
    long n = strtol(v, &end, 10);
    if (errno || *end != '\0' || n < min || n > max)
        return -1;
    *out = n;
    return 0;
}

/* xs:language, as MailboxCulture must be: letters, then dash-separated
 * runs of letters and digits, each 1 to 8 long. Checked here so the user
 * hears which option is wrong, not only that the client refused. */
static int valid_culture(const char *v)
{
    size_t run = 0;
    int first = 1;
    for (; *v; v++) {
        char c = *v;
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        int digit = c >= '0' && c <= '9';
        if (c == '-') {
            if (run == 0)
                return 0;
            run = 0;
            first = 0;
        } else if ((alpha || (digit && !first)) && run < 8) {
            run++;
        } else {
            return 0;
        }
    }
    return run > 0;
}

static int known_server_version(const char *v)
{
    for (const char *const *s = ews_server_versions(); *s; s++)
        if (strcmp(*s, v) == 0)
            return 1;
    return 0;
}

static int set_value(cli_options *o, enum opt_id id, const char *name, const char *v, char *err,
                     size_t errlen)
{
    long n;
    switch (id) {
    case OPT_URL: o->url = v; break;
    /* Autodiscover (issue 15) */
    case OPT_EMAIL: o->email = v; break;
    case OPT_RESOLVE:
    case OPT_CONNECT_TO: {
        int ct = id == OPT_CONNECT_TO;
        size_t *count = ct ? &o->connect_to_count : &o->resolve_count;
        if (*count == CLI_MAX_OVERRIDES)
            return fail(err, errlen, "--%s: at most %d entries", name, CLI_MAX_OVERRIDES);
        (ct ? o->connect_to : o->resolve)[(*count)++] = v;
        break;
    }
    case OPT_USER: o->user = v; break;
    case OPT_AUTH:
        if (parse_auth(v, &o->auth))
            return fail(err, errlen, "--auth: unknown method; use auto, basic, ntlm, negotiate "
                                     "or bearer");
        o->auth_given = 1;
        break;
    case OPT_PASSWORD_FILE: o->password_file = v; break;
    case OPT_TOKEN_FILE: o->token_file = v; break;
    case OPT_IMPERSONATE:
        if (parse_impersonation(v, &o->impersonation))
            return fail(err, errlen, "--impersonate: expected primary:ADDRESS, smtp:ADDRESS, "
                                     "upn:NAME or sid:SID");
        break;
    case OPT_CULTURE:
        if (!valid_culture(v))
            return fail(err, errlen, "--culture: expected a language tag such as en-US or "
                                     "de-CH");
        o->culture = v;
        break;
    case OPT_SERVER_VERSION:
        if (!known_server_version(v))
            return fail(err, errlen, "--server-version: unknown version '%.64s' (e.g. "
                                     "Exchange2013, Exchange2016, V2018_01_08)", v);
        o->server_version = v;
        break;
    case OPT_CAFILE: o->cafile = v; break;
    case OPT_CHANNEL_BINDING:
        if (strcmp(v, "auto") == 0)
            o->channel_binding = EWS_CHANNEL_BINDING_AUTO;
        else if (strcmp(v, "require") == 0)
            o->channel_binding = EWS_CHANNEL_BINDING_REQUIRE;
        else if (strcmp(v, "off") == 0)
            o->channel_binding = EWS_CHANNEL_BINDING_OFF;
        else
            return fail(err, errlen, "--channel-binding: use auto, require or off");
        break;
    case OPT_TIMEOUT:
        if (parse_long(v, 0, 86400, &n))
            return fail(err, errlen, "--timeout: expected whole seconds from 0 to 86400");
        o->timeout_ms = n * 1000;
        break;
    case OPT_RETRIES:
        if (parse_long(v, 0, 100, &n))
            return fail(err, errlen, "--retries: expected a number from 0 to 100");
        o->retries = (int)n;
        break;
    case OPT_TRACE: o->trace_file = v; break;
    case OPT_FROM_FILE: o->from_file = v; break;
    case OPT_GROUP:
    case OPT_PERSONA: {
        const char **ids = id == OPT_GROUP ? o->group_ids : o->persona_ids;
        size_t *count = id == OPT_GROUP ? &o->group_count : &o->persona_count;
        if (*count == CLI_MAX_IDS)
            return fail(err, errlen, "--%s: at most %d", name, CLI_MAX_IDS);
        ids[(*count)++] = v;
        break;
    }
    case OPT_EXISTING: o->existing = v; break;
    case OPT_NAME: o->name = v; break;
    case OPT_SIP: o->sip = v; break;
    case OPT_NUMBER: o->number = v; break;
    case OPT_PROXY: o->proxy = v; break;
    /* export (issue 16) */
    case OPT_MAILBOXES: o->mailboxes = v; break;
    case OPT_OUTPUT: o->output = v; break;
    case OPT_JOBS:
        if (parse_long(v, 1, 64, &n))
            return fail(err, errlen, "--jobs: expected a number from 1 to 64");
        o->jobs = (int)n;
        break;
    case OPT_IMPERSONATE_KIND:
        if (strcmp(v, "primary") == 0)
            o->impersonate_kind = EWS_IMPERSONATE_PRIMARY_SMTP;
        else if (strcmp(v, "smtp") == 0)
            o->impersonate_kind = EWS_IMPERSONATE_SMTP;
        else if (strcmp(v, "upn") == 0)
            o->impersonate_kind = EWS_IMPERSONATE_PRINCIPAL_NAME;
        else
            return fail(err, errlen, "--impersonate-kind: use primary, smtp or upn");
        break;
    case OPT_NOPROXY: o->noproxy = v; break;
    default:
        return fail(err, errlen, "--%s: internal error", name);
    }
    return 0;
}

static void set_flag(cli_options *o, enum opt_id id)
{
    switch (id) {
    case OPT_INSECURE_HTTP: o->insecure_http = 1; break;
    case OPT_JSON: o->json = 1; break;
    case OPT_STRICT: o->strict = 1; break;
    case OPT_DEMO: o->demo_explicit = 1; break;
    case OPT_HELP: o->help = 1; break;
    case OPT_VERSION: o->version = 1; break;
    case OPT_IDS: o->show_ids = 1; break;
    case OPT_VERBOSE: o->verbose++; break;
    case OPT_NO_CACHE: o->no_cache = 1; break; /* Autodiscover (issue 15) */
    case OPT_RESUME: o->resume = 1; break;     /* export (issue 16) */
    default: break;
    }
}

/* The options given that make no sense for the chosen source, so that a
 * mistyped command fails instead of silently ignoring part of itself. */
static int check_mode(const cli_options *o, const int *seen, char *err, size_t errlen)
{
    static const enum opt_id not_for_file[] = {
        OPT_USER, OPT_AUTH, OPT_PASSWORD_FILE, OPT_TOKEN_FILE, OPT_IMPERSONATE, OPT_CULTURE,
        OPT_SERVER_VERSION, OPT_CAFILE, OPT_TIMEOUT, OPT_RETRIES, OPT_INSECURE_HTTP, OPT_TRACE,
        OPT_CHANNEL_BINDING, OPT_PROXY, OPT_NOPROXY, OPT_VERBOSE,
        OPT_EMAIL, OPT_RESOLVE, OPT_CONNECT_TO, OPT_NO_CACHE,
    };
    static const enum opt_id not_for_demo[] = {
        OPT_USER, OPT_AUTH, OPT_PASSWORD_FILE, OPT_TOKEN_FILE, OPT_CAFILE, OPT_CHANNEL_BINDING,
        OPT_PROXY, OPT_NOPROXY,
        OPT_EMAIL, OPT_RESOLVE, OPT_CONNECT_TO, OPT_NO_CACHE,
    };
    const enum opt_id *bad = NULL;
    size_t nbad = 0;
    const char *source = NULL;
    if (o->mode == CLI_MODE_FILE) {
        bad = not_for_file;
        nbad = sizeof not_for_file / sizeof not_for_file[0];
        source = "--from-file";
    } else if (o->mode == CLI_MODE_DEMO) {
        bad = not_for_demo;
        nbad = sizeof not_for_demo / sizeof not_for_demo[0];
        source = "--demo";
    }
    for (size_t i = 0; i < nbad; i++)
        if (seen[bad[i]])
            return fail(err, errlen, "--%s does not apply to %s%s", opts[bad[i]].name, source,
                        o->mode == CLI_MODE_DEMO && !o->demo_explicit
                            ? " (the default without --url); did you forget --url?" : "");
    return 0;
}

static int check_command(const cli_options *o, const int *seen, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof command_opts / sizeof command_opts[0]; i++)
        if (seen[command_opts[i].id] && !(command_opts[i].commands & CMD(o->command)))
            return fail(err, errlen, "--%s does not apply to the %s command",
                        opts[command_opts[i].id].name, command_names[o->command]);
    if (o->command == CLI_CMD_CONTACT_REMOVE && o->group_count > 1)
        return fail(err, errlen, "contact remove: one --group at a time");
    if (o->command == CLI_CMD_CONTACT_ADD && o->existing && o->name)
        return fail(err, errlen, "contact add: --name does not apply to --existing (the "
                                 "contact has its name)");
    if (o->command == CLI_CMD_EXPORT && !o->mailboxes)
        return fail(err, errlen, "export: give the mailboxes with --mailboxes FILE");
    if (o->command == CLI_CMD_EXPORT && o->impersonation.kind != EWS_IMPERSONATE_INHERIT)
        return fail(err, errlen, "export: --impersonate does not apply (each mailbox of "
                                 "--mailboxes is impersonated; see --impersonate-kind)");
    if (o->command == CLI_CMD_EXPORT && (o->json || o->show_ids))
        return fail(err, errlen, "export: the output is always JSON lines; --%s does not apply",
                    o->json ? "json" : "ids");
    if (o->resume && !o->output)
        return fail(err, errlen, "--resume needs --output FILE");
    if (o->command == CLI_CMD_ITEMS && !o->group_count && !o->persona_count)
        return fail(err, errlen, "items: give the ids with --group ID and --persona ID");
    /* A saved response holds a whole list and nothing else can be done
     * with it. */
    if (o->mode == CLI_MODE_FILE && o->command != CLI_CMD_LIST)
        return fail(err, errlen, "--from-file reads a saved GetImItemList response; the %s "
                                 "command needs --url or --demo", command_names[o->command]);
    return 0;
}

static int check_server_options(cli_options *o, char *err, size_t errlen)
{
    /* Autodiscover (issue 15): the library checks the address itself. */
    if (!o->url && o->email && !strchr(o->email, '@'))
        return fail(err, errlen, "--email: expected an address such as alice@contoso.com");
    if (o->url && strncasecmp(o->url, "http://", 7) == 0 && !o->insecure_http)
        return fail(err, errlen, "--url: plain http:// sends the mailbox unencrypted; use "
                                 "https://, or --insecure-http for a loopback or lab server");
    if (!o->auth_given)
        o->auth = o->token_file ? EWS_AUTH_BEARER : o->user ? EWS_AUTH_AUTO : EWS_AUTH_NONE;
    if (o->token_file && o->auth != EWS_AUTH_BEARER)
        return fail(err, errlen, "--token-file needs --auth bearer");
    if (o->password_file && o->auth == EWS_AUTH_BEARER)
        return fail(err, errlen, "--password-file does not apply to --auth bearer; use "
                                 "--token-file");
    if (o->password_file && !o->user)
        return fail(err, errlen, "--password-file needs --user");
    if ((o->auth == EWS_AUTH_BASIC || o->auth == EWS_AUTH_NTLM) && !o->user)
        return fail(err, errlen, "--auth %s needs --user", o->auth == EWS_AUTH_BASIC ? "basic"
                                                                                     : "ntlm");
    return 0;
}

/* Checks every option word against the table before getopt_long sees
 * them: getopt_long would take "--password X" as an abbreviation of
 * --password-file and print its own messages, which may echo a secret
 * typed in the wrong place. Only names are ever echoed, never values. */
static int check_words(int argc, char **argv, char *err, size_t errlen)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            return 0;
        if (a[0] != '-' || a[1] == '\0')
            continue; /* a command word */
        if (a[1] != '-') {
            for (const char *c = a + 1; *c; c++) {
                int id = find_short(*c);
                if (id < 0)
                    return fail(err, errlen, "unknown option '-%c'",
                                (*c >= 0x21 && *c < 0x7f) ? *c : '?');
                if (opts[id].has_arg == no_argument)
                    continue;
                if (c[1] == '\0' && ++i >= argc)
                    return fail(err, errlen, "-%c (--%s) needs a value", *c, opts[id].name);
                break; /* the rest of the word, or the next one, is the value */
            }
            continue;
        }
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        if (nlen == 8 && strncmp(name, "password", 8) == 0)
            return fail(err, errlen, "--password is not accepted: a password on the command "
                                     "line is visible to other users; use --password-file FILE, "
                                     "the EWS_PASSWORD variable or the prompt");
        int id = find_long(name, nlen);
        if (id < 0)
            return fail(err, errlen, "unknown option '--%.*s'", (int)(nlen > 64 ? 64 : nlen),
                        name);
        if (opts[id].has_arg == no_argument && eq)
            return fail(err, errlen, "--%s takes no value", opts[id].name);
        if (opts[id].has_arg == required_argument && !eq && ++i >= argc)
            return fail(err, errlen, "--%s needs a value", opts[id].name);
    }
    return 0;
}

/* EWS_URL, EWS_EMAIL, EWS_USER and EWS_AUTH stand for --url, --email,
 * --user and --auth when those are not given: EWS_URL and EWS_EMAIL only
 * when no other source was chosen, the others only for a server. */
static int apply_environment(cli_options *o, char *err, size_t errlen)
{
    /* The command line before the environment: --email beats $EWS_URL, and
     * $EWS_EMAIL (Autodiscover, issue 15) applies only without either URL. */
    int other = o->from_file || o->demo_explicit;
    const char *v = getenv("EWS_URL");
    if (!o->url && !o->email && !other && v && *v)
        o->url = v;
    v = getenv("EWS_EMAIL");
    if (!o->url && !o->email && !other && v && *v)
        o->email = v;
    if ((!o->url && !o->email) || other)
        return 0;
    v = getenv("EWS_USER");
    if (!o->user && v && *v)
        o->user = v;
    v = getenv("EWS_AUTH");
    if (!o->auth_given && v && *v) {
        if (parse_auth(v, &o->auth))
            return fail(err, errlen, "EWS_AUTH: unknown method; use auto, basic, ntlm, "
                                     "negotiate or bearer");
        o->auth_given = 1;
    }
    return 0;
}

int cli_parse_args(cli_options *o, int argc, char **argv, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    o->auth = EWS_AUTH_NONE;
    o->impersonation.kind = EWS_IMPERSONATE_INHERIT;
    o->timeout_ms = -1;
    o->retries = -1;
    o->impersonate_kind = EWS_IMPERSONATE_PRIMARY_SMTP;
    o->jobs = 1;
    int seen[OPT_COUNT_] = { 0 };
    if (check_words(argc, argv, err, errlen))
        return -1;

    struct option longopts[OPT_COUNT_ + 1];
    char shortopts[2 * OPT_COUNT_ + 3];
    size_t ns = 0;
    /* '-': words come back in order as option 1 (no reordering of argv,
     * whatever POSIXLY_CORRECT says); ':': a missing value is ':' */
    shortopts[ns++] = '-';
    shortopts[ns++] = ':';
    for (int i = 0; i < OPT_COUNT_; i++) {
        longopts[i] = (struct option){ opts[i].name, opts[i].has_arg, NULL,
                                       opts[i].short_name ? opts[i].short_name : LONG_VAL(i) };
        if (opts[i].short_name) {
            shortopts[ns++] = opts[i].short_name;
            if (opts[i].has_arg == required_argument)
                shortopts[ns++] = ':';
        }
    }
    longopts[OPT_COUNT_] = (struct option){ NULL, 0, NULL, 0 };
    shortopts[ns] = '\0';

    /* Options and command words mix in any order; "--" ends the options. */
    const char *words[MAX_WORDS];
    size_t nwords = 0;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == 1) {
            if (nwords == MAX_WORDS)
                return fail(err, errlen, "unexpected argument '%.64s'", optarg);
            words[nwords++] = optarg;
            continue;
        }
        int id = c >= 256 ? c - 256 : find_short((char)c);
        if (c == '?' || c == ':' || id < 0 || id >= OPT_COUNT_)
            /* check_words let nothing through that gets here */
            return fail(err, errlen, "invalid options");
        seen[id] = 1;
        if (opts[id].has_arg == no_argument) {
            set_flag(o, (enum opt_id)id);
            continue;
        }
        if (*optarg == '\0')
            return fail(err, errlen, "--%s: empty value", opts[id].name);
        if (set_value(o, (enum opt_id)id, opts[id].name, optarg, err, errlen))
            return -1;
    }
    if (o->help || o->version)
        return 0;
    for (int i = optind; i < argc; i++) {
        if (nwords == MAX_WORDS)
            return fail(err, errlen, "unexpected argument '%.64s'", argv[i]);
        words[nwords++] = argv[i];
    }
    if (cli_parse_command(o, words, nwords, err, errlen))
        return -1;

    if (o->from_file && (o->url || o->demo_explicit))
        return fail(err, errlen, "--from-file cannot be combined with %s",
                    o->url ? "--url" : "--demo");
    if (o->url && o->demo_explicit)
        return fail(err, errlen, "--demo cannot be combined with --url");
    if (apply_environment(o, err, errlen))
        return -1;
    /* Autodiscover (issue 15): an address stands for the URL; --url wins. */
    int discover = !o->url && o->email && !o->from_file && !o->demo_explicit;
    o->mode = o->from_file ? CLI_MODE_FILE
              : o->url || discover ? CLI_MODE_SERVER : CLI_MODE_DEMO;
    if (check_mode(o, seen, err, errlen) || check_command(o, seen, err, errlen))
        return -1;
    if (o->mode == CLI_MODE_SERVER)
        return check_server_options(o, err, errlen);
    return 0;
}
