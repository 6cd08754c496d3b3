/* ews-imlist: list a mailbox's IM groups and contact personas over EWS.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Declarations shared by the tool's source files.
 */
#ifndef EWS_IMLIST_CLI_H
#define EWS_IMLIST_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "ews/ews.h"

#define CLI_NAME "ews-imlist"

/* Exit statuses; the man page and --help document the same numbers. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_INTERNAL = 1,  /* out of memory, write error: none of the below */
    CLI_EXIT_USAGE = 2,
    CLI_EXIT_AUTH = 3,
    CLI_EXIT_EWS = 4,
    CLI_EXIT_TRANSPORT = 5,
    CLI_EXIT_INVALID = 6,
    CLI_EXIT_BUSY = 7       /* busy or unavailable for the whole retry budget: try later */
};

typedef enum cli_mode {
    CLI_MODE_DEMO = 0,      /* also what a run without --url / --from-file does */
    CLI_MODE_SERVER,
    CLI_MODE_FILE
} cli_mode;

/* What to do; the man page's COMMANDS section documents each. */
typedef enum cli_command {
    CLI_CMD_LIST = 0,        /* GetImItemList, also the default */
    CLI_CMD_ITEMS,           /* GetImItems */
    CLI_CMD_GROUP_ADD,       /* AddImGroup */
    CLI_CMD_GROUP_RENAME,    /* SetImGroup */
    CLI_CMD_GROUP_REMOVE,    /* RemoveImGroup */
    CLI_CMD_CONTACT_ADD,     /* AddNewImContactToGroup, AddImContactToGroup (--existing) */
    CLI_CMD_CONTACT_ADD_TEL, /* AddNewTelUriContactToGroup */
    CLI_CMD_CONTACT_REMOVE,  /* RemoveContactFromImList, RemoveImContactFromGroup (--group) */
    CLI_CMD_DL_ADD,          /* AddDistributionGroupToImList */
    CLI_CMD_DL_REMOVE,       /* RemoveDistributionGroupFromImList */
    CLI_CMD_EXPORT           /* GetImItemList of every mailbox in --mailboxes (export.c) */
} cli_command;

/* Most --resolve / --connect-to entries. */
#define CLI_MAX_OVERRIDES 16

/* Most ids one `items` call takes of each kind. */
#define CLI_MAX_IDS 100

typedef struct cli_options {
    cli_mode mode;
    cli_command command;
    const char *operand[2];     /* the command's positional arguments */
    const char *group_ids[CLI_MAX_IDS];   /* --group */
    size_t group_count;
    const char *persona_ids[CLI_MAX_IDS]; /* --persona */
    size_t persona_count;
    const char *existing;       /* --existing PERSONA-ID */
    const char *name;           /* --name */
    const char *sip;            /* --sip */
    const char *number;         /* --number */
    int show_ids;               /* --ids */
    int demo_explicit;

    const char *url;
    const char *user;
    ews_auth_method auth;
    int auth_given;
    const char *password_file;
    const char *token_file;
    ews_impersonation impersonation;
    const char *culture;
    const char *server_version;
    const char *cafile;
    ews_channel_binding channel_binding;
    long timeout_ms;        /* -1: library default */
    int retries;            /* -1: library default */
    int insecure_http;
    const char *proxy;      /* --proxy; NULL: the proxy variables */
    const char *noproxy;    /* --noproxy; NULL: no_proxy */
    int verbose;            /* -v: one stderr line per retry, auth leg, refused redirect */

    int json;
    int strict;
    const char *trace_file;
    const char *from_file;  /* "-" is standard input */

    int help;
    int version;

    /* Autodiscover (issue 15): --email / EWS_EMAIL without --url, the
     * endpoint cache, and libcurl's name overrides for every request. */
    const char *email;
    int no_cache;
    const char *resolve[CLI_MAX_OVERRIDES + 1];    /* --resolve, NULL-terminated */
    size_t resolve_count;
    const char *connect_to[CLI_MAX_OVERRIDES + 1]; /* --connect-to */
    size_t connect_to_count;

    /* export (issue 16, export.c) */
    const char *mailboxes;      /* --mailboxes FILE, "-": standard input */
    ews_impersonation_kind impersonate_kind; /* --impersonate-kind */
    int jobs;                   /* --jobs */
    const char *output;         /* --output FILE; NULL: standard output */
    int resume;                 /* --resume */
} cli_options;

/* fail.c: every check's failure path. Writes the one-line message into
 * err (cut to errlen) and returns -1, for `return cli_fail(err, ...);`. */
int cli_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* command.c: the arguments that are not options (words, in order): the
 * command and its operands, into o->command and o->operand. 0, or -1 with
 * a one-line message in err. */
int cli_parse_command(cli_options *o, const char *const *words, size_t nwords, char *err,
                      size_t errlen);
/* The EWS operation o's command calls, e.g. "AddImGroup". */
const char *cli_operation_name(const cli_options *o);

/* args.c: fills *o from argv. Returns 0, or -1 with a one-line message in
 * err. The message never repeats an option's value, which may be a secret
 * typed in the wrong place. */
int cli_parse_args(cli_options *o, int argc, char **argv, char *err, size_t errlen);
/* usage.c: the --help text. */
void cli_print_help(FILE *f);

/* nocore.c: RLIMIT_CORE 0 and (Linux) not dumpable, for the whole run.
 * Returns 0 or -1 with err set. */
int cli_no_core_dumps(char *err, size_t errlen);

/* secrets.c */
typedef struct cli_token_source {
    const char *file;   /* re-read on a forced refresh; NULL: use env_value */
    const char *env_value;
    char *current;      /* what was read last; wiped on free */
} cli_token_source;

/* The password for o->user: --password-file, else EWS_PASSWORD, else a
 * prompt without echo when standard input is a terminal. *out is wiped and
 * freed by cli_secret_free. Returns 0 or -1 with err set. */
int cli_get_password(const cli_options *o, char **out, char *err, size_t errlen);
/* Checks that a token can be had now, so that a missing one is a usage
 * error before any network traffic. */
int cli_token_source_init(cli_token_source *ts, const cli_options *o, char *err, size_t errlen);
void cli_token_source_free(cli_token_source *ts);
int cli_token_cb(char **token, int force_refresh, void *userdata);
void cli_secret_free(char *s);

/* trace.c; path "-" is standard error */
typedef struct cli_trace {
    FILE *f;
    int borrowed;   /* f is stderr: flushed, not closed */
} cli_trace;
int cli_trace_open(cli_trace *t, const char *path, char *err, size_t errlen);
void cli_trace_cb(ews_trace_kind kind, const char *data, size_t len, void *userdata);
int cli_trace_close(cli_trace *t);

/* input.c: path ("-": standard input) opened for reading, and its size
 * when it is a regular file (0 otherwise). Returns 0, or an exit status
 * with the message printed. */
int cli_open_input(const char *path, int *fd, size_t *size);
/* heap.c: the heap about to grow by some bytes gets them in large pages
 * where the kernel gives them on request (a hint; nothing if it cannot). */
void cli_heap_expect(size_t bytes);

/* report.c. op names the EWS operation the line is about (NULL: none):
 * "ews-imlist: OP: what happened (HTTP status, EWS code, request id)". */
int cli_exit_status(int rc, const ews_error *e);
void cli_report_error(FILE *f, const char *op, int rc, const ews_error *e);
void cli_report_warning(FILE *f, const char *op, const ews_error *w);
/* -v: the library's events as one stderr line each (userdata unused). */
void cli_event_cb(const ews_event *ev, void *userdata);

/* text.c: terminal-safe text. */
/* A copy of s in which control characters (C0, DEL, C1), bidirectional
 * overrides and invalid UTF-8 are each replaced by '?', so that a server
 * cannot move the cursor or reorder what the user sees. NULL if no memory. */
char *cli_text_clean(const char *s);
/* Columns s takes on a terminal (UTF-8, wide and combining characters). */
size_t cli_text_width(const char *s);
/* A copy of s that is valid UTF-8 (invalid bytes become U+FFFD); NULL if no
 * memory. */
char *cli_utf8_repair(const char *s);
/* Bytes of the well-formed UTF-8 sequence at s, or 0 when the byte at s
 * starts none (overlong forms, surrogates, values past U+10FFFF, a NUL).
 * cli_utf8_repair and the JSON writer replace such a byte by U+FFFD. */
size_t cli_utf8_len(const char *s);

/* output_text.c / output_json.c: 0, or CLI_EXIT_INTERNAL (memory, write).
 * show_ids adds the group and persona ids the changing commands take. */
int cli_print_text(FILE *f, const ews_imlist *list, int show_ids);
int cli_print_json(FILE *f, const ews_imlist *list);
/* The list as one JSON object, shaped as --json's, streamed to f as it is
 * walked. lead: members already encoded as JSON, written first inside the
 * object, e.g. "mailbox":"a@b","ok":true (no braces, no trailing comma),
 * or NULL. one_line: compact, on one line and without a newline at the end
 * (NDJSON: the caller adds it); otherwise --json's indented layout. 0, or
 * CLI_EXIT_INTERNAL on a write error (nothing is allocated). */
int cli_json_write_list(FILE *f, const ews_imlist *list, const char *lead, int one_line);
/* s as a JSON string literal (null for NULL), invalid UTF-8 replaced by
 * U+FFFD as in the list: for building a lead. 0 or CLI_EXIT_INTERNAL. */
int cli_json_write_string(FILE *f, const char *s);
/* One group or persona as an object of the same shape as in the list. */
int cli_print_json_group(FILE *f, const ews_im_group *g);
int cli_print_json_persona(FILE *f, const ews_persona *p);

/* commands.c: runs o->command with client and prints its result. Returns
 * an exit status, the failure reported on stderr. */
int cli_run_command(const cli_options *o, ews_client *client);

/* output_done.c: the result of a command that changes the list. Text: the
 * line fmt makes, made terminal-safe. JSON: the group or persona created,
 * shaped as in the list, or {} when the command creates neither. 0, or
 * CLI_EXIT_INTERNAL (memory, write). */
int cli_print_done(FILE *f, int json, const ews_im_group *group, const ews_persona *persona,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* discover.c: the EWS URL of o->email, from the endpoint cache or by
 * Autodiscover with co's credentials and TLS settings (then cached, unless
 * --no-cache). *url is new. 0, or an exit status with the failure and
 * every candidate tried reported on stderr. */
int cli_discover(const cli_options *o, const ews_client_options *co, char **url);

/* demo.c: runs fn against a loopback mock serving the demo mailbox. */
typedef int (*cli_server_fn)(const char *url, void *userdata);
int cli_with_demo_server(cli_server_fn fn, void *userdata);

#endif
