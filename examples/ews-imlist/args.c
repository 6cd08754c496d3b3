/* ews-imlist: command-line parsing and the checks that need no network.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <getopt.h>
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

/* getopt_long's value for a long-only option: above every char. */
#define LONG_VAL(id) (256 + (int)(id))
#define LONG(id, name, arg) [id] = { name, arg, NULL, LONG_VAL(id) }
#define BOTH(id, name, arg, letter) [id] = { name, arg, NULL, letter }

/* getopt_long's table, indexed by enum opt_id so that messages name an
 * option by its id; the short options' string is made from it. A new
 * option is one line here, one in enum opt_id and its case in set_value
 * or set_flag. */
static const struct option opts[OPT_COUNT_ + 1] = {
    LONG(OPT_URL, "url", required_argument),
    BOTH(OPT_USER, "user", required_argument, 'u'),
    LONG(OPT_AUTH, "auth", required_argument),
    LONG(OPT_PASSWORD_FILE, "password-file", required_argument),
    LONG(OPT_TOKEN_FILE, "token-file", required_argument),
    LONG(OPT_IMPERSONATE, "impersonate", required_argument),
    LONG(OPT_CULTURE, "culture", required_argument),
    LONG(OPT_SERVER_VERSION, "server-version", required_argument),
    LONG(OPT_CAFILE, "cafile", required_argument),
    LONG(OPT_TIMEOUT, "timeout", required_argument),
    LONG(OPT_RETRIES, "retries", required_argument),
    LONG(OPT_INSECURE_HTTP, "insecure-http", no_argument),
    LONG(OPT_JSON, "json", no_argument),
    LONG(OPT_TRACE, "trace", required_argument),
    LONG(OPT_FROM_FILE, "from-file", required_argument),
    LONG(OPT_STRICT, "strict", no_argument),
    LONG(OPT_DEMO, "demo", no_argument),
    BOTH(OPT_HELP, "help", no_argument, 'h'),
    BOTH(OPT_VERSION, "version", no_argument, 'V'),
    LONG(OPT_GROUP, "group", required_argument),
    LONG(OPT_PERSONA, "persona", required_argument),
    LONG(OPT_EXISTING, "existing", required_argument),
    LONG(OPT_NAME, "name", required_argument),
    LONG(OPT_SIP, "sip", required_argument),
    LONG(OPT_NUMBER, "number", required_argument),
    LONG(OPT_IDS, "ids", no_argument),
    LONG(OPT_CHANNEL_BINDING, "channel-binding", required_argument),
    LONG(OPT_PROXY, "proxy", required_argument),
    LONG(OPT_NOPROXY, "noproxy", required_argument),
    BOTH(OPT_VERBOSE, "verbose", no_argument, 'v'),
    /* Autodiscover (issue 15) */
    LONG(OPT_EMAIL, "email", required_argument),
    LONG(OPT_RESOLVE, "resolve", required_argument),
    LONG(OPT_CONNECT_TO, "connect-to", required_argument),
    LONG(OPT_NO_CACHE, "no-cache", no_argument),
    /* export (issue 16) */
    LONG(OPT_MAILBOXES, "mailboxes", required_argument),
    LONG(OPT_IMPERSONATE_KIND, "impersonate-kind", required_argument),
    BOTH(OPT_JOBS, "jobs", required_argument, 'j'),
    BOTH(OPT_OUTPUT, "output", required_argument, 'o'),
    LONG(OPT_RESUME, "resume", no_argument),
    [OPT_COUNT_] = { NULL, 0, NULL, 0 },
};

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

/* The option getopt_long answered c for, from its value in opts. */
static int id_of(int c)
{
    if (c >= LONG_VAL(0))
        return c - LONG_VAL(0);
    for (int i = 0; i < OPT_COUNT_; i++)
        if (opts[i].val == c)
            return i;
    return -1;
}

/* The id of the long option written "--NAME[=VALUE]" that getopt_long
 * answered c for, or -1 with a message that names the word, never its
 * value (which may be a secret typed in the wrong place). getopt_long
 * takes any unique prefix of a name; the name must be whole here, as the
 * man page promises: a prefix that works today turns ambiguous, or means
 * another option, once an option is added, and "--password X" must not
 * be taken for --password-file. */
static int long_option(const char *name, int c, char *err, size_t errlen)
{
    size_t len = strcspn(name, "=");
    if (len == 8 && strncmp(name, "password", 8) == 0)
        return cli_fail(err, errlen, "--password is not accepted: a password on the command "
                                     "line is visible to other users; use --password-file FILE, "
                                     "the EWS_PASSWORD variable or the prompt");
    int id = 0;
    while (id < OPT_COUNT_ &&
           (strlen(opts[id].name) != len || strncmp(opts[id].name, name, len) != 0))
        id++;
    if (id == OPT_COUNT_)
        return cli_fail(err, errlen, "unknown option '--%.*s'", (int)(len > 64 ? 64 : len), name);
    /* the whole name matched, so what getopt_long refused is the value */
    if (c == '?')
        return cli_fail(err, errlen, "--%s takes no value", opts[id].name);
    if (c == ':')
        return cli_fail(err, errlen, "--%s needs a value", opts[id].name);
    return id;
}

/* The same for a short option's letter. */
static int short_option(int c, char *err, size_t errlen)
{
    if (c == '?')
        return cli_fail(err, errlen, "unknown option '-%c'",
                        optopt >= 0x21 && optopt < 0x7f ? optopt : '?');
    int id = id_of(c == ':' ? optopt : c);
    if (id < 0) /* getopt_long answers only with letters of shortopts */
        return cli_fail(err, errlen, "invalid options");
    if (c == ':')
        return cli_fail(err, errlen, "-%c (--%s) needs a value", optopt, opts[id].name);
    return id;
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
            return cli_fail(err, errlen, "--%s: at most %d entries", name, CLI_MAX_OVERRIDES);
        (ct ? o->connect_to : o->resolve)[(*count)++] = v;
        break;
    }
    case OPT_USER: o->user = v; break;
    case OPT_AUTH:
        if (parse_auth(v, &o->auth))
            return cli_fail(err, errlen, "--auth: unknown method; use auto, basic, ntlm, negotiate "
                                         "or bearer");
        o->auth_given = 1;
        break;
    case OPT_PASSWORD_FILE: o->password_file = v; break;
    case OPT_TOKEN_FILE: o->token_file = v; break;
    case OPT_IMPERSONATE:
        if (parse_impersonation(v, &o->impersonation))
            return cli_fail(err, errlen, "--impersonate: expected primary:ADDRESS, smtp:ADDRESS, "
                                         "upn:NAME or sid:SID");
        break;
    case OPT_CULTURE:
        if (!valid_culture(v))
            return cli_fail(err, errlen, "--culture: expected a language tag such as en-US or "
                                         "de-CH");
        o->culture = v;
        break;
    case OPT_SERVER_VERSION:
        if (!known_server_version(v))
            return cli_fail(err, errlen, "--server-version: unknown version '%.64s' (e.g. "
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
            return cli_fail(err, errlen, "--channel-binding: use auto, require or off");
        break;
    case OPT_TIMEOUT:
        if (parse_long(v, 0, 86400, &n))
            return cli_fail(err, errlen, "--timeout: expected whole seconds from 0 to 86400");
        o->timeout_ms = n * 1000;
        break;
    case OPT_RETRIES:
        if (parse_long(v, 0, 100, &n))
            return cli_fail(err, errlen, "--retries: expected a number from 0 to 100");
        o->retries = (int)n;
        break;
    case OPT_TRACE: o->trace_file = v; break;
    case OPT_FROM_FILE: o->from_file = v; break;
    case OPT_GROUP:
    case OPT_PERSONA: {
        const char **ids = id == OPT_GROUP ? o->group_ids : o->persona_ids;
        size_t *count = id == OPT_GROUP ? &o->group_count : &o->persona_count;
        if (*count == CLI_MAX_IDS)
            return cli_fail(err, errlen, "--%s: at most %d", name, CLI_MAX_IDS);
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
            return cli_fail(err, errlen, "--jobs: expected a number from 1 to 64");
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
            return cli_fail(err, errlen, "--impersonate-kind: use primary, smtp or upn");
        break;
    case OPT_NOPROXY: o->noproxy = v; break;
    default:
        return cli_fail(err, errlen, "--%s: internal error", name);
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
            return cli_fail(err, errlen, "--%s does not apply to %s%s", opts[bad[i]].name, source,
                            o->mode == CLI_MODE_DEMO && !o->demo_explicit
                                ? " (the default without --url); did you forget --url?" : "");
    return 0;
}

static int check_command(const cli_options *o, const int *seen, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof command_opts / sizeof command_opts[0]; i++)
        if (seen[command_opts[i].id] && !(command_opts[i].commands & CMD(o->command)))
            return cli_fail(err, errlen, "--%s does not apply to the %s command",
                            opts[command_opts[i].id].name, command_names[o->command]);
    if (o->command == CLI_CMD_CONTACT_REMOVE && o->group_count > 1)
        return cli_fail(err, errlen, "contact remove: one --group at a time");
    if (o->command == CLI_CMD_CONTACT_ADD && o->existing && o->name)
        return cli_fail(err, errlen, "contact add: --name does not apply to --existing (the "
                                     "contact has its name)");
    if (o->command == CLI_CMD_EXPORT && !o->mailboxes)
        return cli_fail(err, errlen, "export: give the mailboxes with --mailboxes FILE");
    if (o->command == CLI_CMD_EXPORT && o->impersonation.kind != EWS_IMPERSONATE_INHERIT)
        return cli_fail(err, errlen, "export: --impersonate does not apply (each mailbox of "
                                     "--mailboxes is impersonated; see --impersonate-kind)");
    if (o->command == CLI_CMD_EXPORT && (o->json || o->show_ids))
        return cli_fail(err, errlen, "export: the output is always JSON lines; --%s does not apply",
                        o->json ? "json" : "ids");
    if (o->resume && !o->output)
        return cli_fail(err, errlen, "--resume needs --output FILE");
    if (o->command == CLI_CMD_ITEMS && !o->group_count && !o->persona_count)
        return cli_fail(err, errlen, "items: give the ids with --group ID and --persona ID");
    /* A saved response holds a whole list and nothing else can be done
     * with it. */
    if (o->mode == CLI_MODE_FILE && o->command != CLI_CMD_LIST)
        return cli_fail(err, errlen, "--from-file reads a saved GetImItemList response; the %s "
                                     "command needs --url or --demo", command_names[o->command]);
    return 0;
}

static int check_server_options(cli_options *o, char *err, size_t errlen)
{
    /* Autodiscover (issue 15): the library checks the address itself. */
    if (!o->url && o->email && !strchr(o->email, '@'))
        return cli_fail(err, errlen, "--email: expected an address such as alice@contoso.com");
    if (o->url && strncasecmp(o->url, "http://", 7) == 0 && !o->insecure_http)
        return cli_fail(err, errlen, "--url: plain http:// sends the mailbox unencrypted; use "
                                     "https://, or --insecure-http for a loopback or lab server");
    if (!o->auth_given)
        o->auth = o->token_file ? EWS_AUTH_BEARER : o->user ? EWS_AUTH_AUTO : EWS_AUTH_NONE;
    if (o->token_file && o->auth != EWS_AUTH_BEARER)
        return cli_fail(err, errlen, "--token-file needs --auth bearer");
    if (o->password_file && o->auth == EWS_AUTH_BEARER)
        return cli_fail(err, errlen, "--password-file does not apply to --auth bearer; use "
                                     "--token-file");
    if (o->password_file && !o->user)
        return cli_fail(err, errlen, "--password-file needs --user");
    if ((o->auth == EWS_AUTH_BASIC || o->auth == EWS_AUTH_NTLM) && !o->user)
        return cli_fail(err, errlen, "--auth %s needs --user",
                        o->auth == EWS_AUTH_BASIC ? "basic" : "ntlm");
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
            return cli_fail(err, errlen, "EWS_AUTH: unknown method; use auto, basic, ntlm, "
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

    /* '-': words come back in order as option 1 (no reordering of argv,
     * whatever POSIXLY_CORRECT says); ':': a missing value is ':' */
    char shortopts[2 + 2 * OPT_COUNT_ + 1] = "-:";
    size_t ns = 2;
    for (int i = 0; i < OPT_COUNT_; i++) {
        if (opts[i].val >= LONG_VAL(0))
            continue;
        shortopts[ns++] = (char)opts[i].val;
        if (opts[i].has_arg == required_argument)
            shortopts[ns++] = ':';
    }
    shortopts[ns] = '\0';

    /* Options and command words mix in any order; "--" ends the options.
     * opterr 0: getopt_long's own messages would repeat values. */
    const char *words[MAX_WORDS];
    size_t nwords = 0;
    opterr = 0;
    optind = 1;
    for (;;) {
        /* where the option starts: a long one has its word to itself */
        int at = optind;
        int c = getopt_long(argc, argv, shortopts, opts, NULL);
        if (c == -1)
            break;
        if (c == 1) {
            if (nwords == MAX_WORDS)
                return cli_fail(err, errlen, "unexpected argument '%.64s'", optarg);
            words[nwords++] = optarg;
            continue;
        }
        int id = strncmp(argv[at], "--", 2) == 0 ? long_option(argv[at] + 2, c, err, errlen)
                                                 : short_option(c, err, errlen);
        if (id < 0)
            return -1;
        seen[id] = 1;
        if (opts[id].has_arg == no_argument) {
            set_flag(o, (enum opt_id)id);
            continue;
        }
        if (*optarg == '\0')
            return cli_fail(err, errlen, "--%s: empty value", opts[id].name);
        if (set_value(o, (enum opt_id)id, opts[id].name, optarg, err, errlen))
            return -1;
    }
    if (o->help || o->version)
        return 0;
    for (int i = optind; i < argc; i++) {
        if (nwords == MAX_WORDS)
            return cli_fail(err, errlen, "unexpected argument '%.64s'", argv[i]);
        words[nwords++] = argv[i];
    }
    if (cli_parse_command(o, words, nwords, err, errlen))
        return -1;

    if (o->from_file && (o->url || o->demo_explicit))
        return cli_fail(err, errlen, "--from-file cannot be combined with %s",
                        o->url ? "--url" : "--demo");
    if (o->url && o->demo_explicit)
        return cli_fail(err, errlen, "--demo cannot be combined with --url");
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
