/* ews-imlist: list and change a mailbox's IM groups and contact personas
 * (EWS GetImItemList and the other IM-list operations) on a server or the
 * built-in demo, or list them from a saved response.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "export.h"

typedef struct run {
    const cli_options *o;
    ews_client_options co;
    cli_trace trace;
    cli_token_source tokens;
    char *password;
} run;

static int show(const cli_options *o, const ews_imlist *list)
{
    int status = o->json ? cli_print_json(stdout, list)
                         : cli_print_text(stdout, list, o->show_ids);
    /* after the data: a warning is about the answer, which is still shown */
    const ews_error *w = ews_imlist_warning(list);
    if (w)
        cli_report_warning(stderr, "GetImItemList", w);
    return status;
}

/* ews_client_new keeps a handle that says what was wrong with the options,
 * except when it ran out of memory; the library's message never holds a
 * secret. */
static int report_client_new(int rc, const ews_client *client)
{
    const ews_error *e = client ? ews_client_last_error(client) : NULL;
    if (e && e->code == rc && e->message && *e->message) {
        fprintf(stderr, CLI_NAME ": cannot set up the EWS client: %s\n", e->message);
        return cli_exit_status(rc, NULL);
    }
    const char *hint = "";
    if (rc == EWS_ENOTSUP)
        hint = " (this authentication method is not available in this build)";
    else if (rc == EWS_ECONFIG)
        hint = " (check --url, --auth, --cafile, --channel-binding and --insecure-http)";
    else if (rc == EWS_EINVAL)
        hint = " (check --url, --culture and --impersonate)";
    fprintf(stderr, CLI_NAME ": cannot set up the EWS client: %s%s\n", ews_strerror(rc), hint);
    return cli_exit_status(rc, NULL);
}

static int run_at(const char *url, void *userdata)
{
    run *r = userdata;
    r->co.url = url;
    if (r->o->command == CLI_CMD_EXPORT)
        return cli_export(r->o, &r->co);
    ews_client *client = NULL;
    int rc = ews_client_new(&client, &r->co);
    int status = rc != 0 ? report_client_new(rc, client) : cli_run_command(r->o, client);
    ews_client_free(client);
    return status;
}

static int list_saved(run *r)
{
    /* a parse-only client: no URL, only the strict flag and the limits */
    ews_client *client = NULL;
    int rc = ews_client_new(&client, &r->co);
    if (rc != 0) {
        int status = report_client_new(rc, client);
        ews_client_free(client);
        return status;
    }
    int fd = -1;
    size_t size = 0;
    int status = cli_open_input(r->o->from_file, &fd, &size);
    if (status == 0) {
        /* the parse's blocks from the heap (the persona structs, the
         * index; the engine's small ones are cells) take some 0.7 times
         * the response */
        cli_heap_expect(size);
        ews_imlist *list = NULL;
        /* read by the library, which gives the response's memory back as
         * the parse passes it */
        rc = ews_im_item_list_parse_fd(&list, client, fd);
        if (rc == 0) {
            status = show(r->o, list);
        } else {
            const ews_error *e = ews_client_last_error(client);
            cli_report_error(stderr, "GetImItemList", rc, e);
            status = cli_exit_status(rc, e);
        }
        ews_imlist_free(list);
        if (fd != STDIN_FILENO)
            close(fd);
    }
    ews_client_free(client);
    return status;
}

static void apply_options(run *r)
{
    const cli_options *o = r->o;
    ews_client_options *co = &r->co;
    co->strict = o->strict;
    co->user_agent = CLI_NAME "/" EWS_VERSION_STRING;
    if (o->mode == CLI_MODE_FILE)
        return;
    co->auth = o->auth;
    co->username = o->user;
    co->cafile = o->cafile;
    co->channel_binding = o->channel_binding;
    co->allow_insecure_http = o->insecure_http || o->mode == CLI_MODE_DEMO;
    co->allow_credentials_over_http = o->insecure_http;
    co->server_version = o->server_version;
    co->culture = o->culture;
    co->impersonation = o->impersonation;
    co->proxy = o->proxy;
    co->noproxy = o->noproxy;
    if (o->verbose)
        co->event = cli_event_cb;
    if (o->timeout_ms >= 0) {
        co->timeout_ms = o->timeout_ms;
        /* a shorter overall limit must not be outlived by its parts */
        if (o->timeout_ms > 0 && co->connect_timeout_ms > o->timeout_ms)
            co->connect_timeout_ms = o->timeout_ms;
        if (o->timeout_ms > 0 && co->stall_timeout_ms > o->timeout_ms)
            co->stall_timeout_ms = o->timeout_ms;
    }
    if (o->retries >= 0)
        co->retry.max_attempts = o->retries + 1;
    /* Autodiscover (issue 15): name overrides for every request. */
    co->resolve = o->resolve_count ? o->resolve : NULL;
    co->connect_to = o->connect_to_count ? o->connect_to : NULL;
}

/* Gathers what the call needs before any traffic, so that a missing
 * password or unreadable token file is a usage error, not a failed login. */
static int prepare(run *r)
{
    const cli_options *o = r->o;
    char err[512];
    if (o->trace_file) {
        if (cli_trace_open(&r->trace, o->trace_file, err, sizeof err) != 0)
            goto usage;
        r->co.trace = cli_trace_cb;
        r->co.trace_userdata = &r->trace;
    }
    if (o->mode != CLI_MODE_SERVER)
        return 0;
    /* A file given as an option that cannot be read is the command line's
     * fault (exit 2), not a TLS failure found at the first request. */
    if (o->cafile) {
        FILE *f = fopen(o->cafile, "r");
        if (!f) {
            snprintf(err, sizeof err, "--cafile '%.200s': %s", o->cafile, strerror(errno));
            goto usage;
        }
        fclose(f);
    }
    if (o->auth == EWS_AUTH_BEARER) {
        if (cli_token_source_init(&r->tokens, o, err, sizeof err) != 0)
            goto usage;
        r->co.token_cb = cli_token_cb;
        r->co.token_userdata = &r->tokens;
    } else if (o->user && o->auth != EWS_AUTH_NONE) {
        if (cli_get_password(o, &r->password, err, sizeof err) != 0)
            goto usage;
        r->co.password = r->password;
    }
    return 0;
usage:
    fprintf(stderr, CLI_NAME ": %s\n", err);
    return CLI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    cli_options o;
    char err[512];
    /* First, before any secret is read (see nocore.c). */
    if (cli_no_core_dumps(err, sizeof err) != 0) {
        fprintf(stderr, CLI_NAME ": %s\n", err);
        return CLI_EXIT_INTERNAL;
    }
    if (cli_parse_args(&o, argc, argv, err, sizeof err) != 0) {
        fprintf(stderr, CLI_NAME ": %s\n", err);
        return CLI_EXIT_USAGE;
    }
    if (o.help) {
        cli_print_help(stdout);
        return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_INTERNAL;
    }
    if (o.version) {
        printf(CLI_NAME " %s (ews-c library %s)\n", EWS_VERSION_STRING, ews_version());
        return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_INTERNAL;
    }

    run r;
    memset(&r, 0, sizeof r);
    r.o = &o;
    ews_client_options defaults = EWS_CLIENT_OPTIONS_INIT;
    r.co = defaults;
    apply_options(&r);

    int status = prepare(&r);
    if (status == 0) {
        switch (o.mode) {
        case CLI_MODE_FILE: status = list_saved(&r); break;
        case CLI_MODE_SERVER:
            if (o.url) {
                status = run_at(o.url, &r);
            } else { /* Autodiscover (issue 15) */
                char *url = NULL;
                status = cli_discover(&o, &r.co, &url);
                if (status == 0)
                    status = run_at(url, &r);
                free(url);
            }
            break;
        case CLI_MODE_DEMO: status = cli_with_demo_server(run_at, &r); break;
        }
    }

    cli_secret_free(r.password);
    cli_token_source_free(&r.tokens);
    if (cli_trace_close(&r.trace) != 0) {
        fprintf(stderr, CLI_NAME ": --trace '%.200s': write error\n", o.trace_file);
        if (status == 0)
            status = CLI_EXIT_INTERNAL;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, CLI_NAME ": write error on standard output\n");
        if (status == 0)
            status = CLI_EXIT_INTERNAL;
    }
    return status;
}
