/* ews-imlist: --demo, real client calls against a built-in loopback server.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The demo goes through the same client, HTTP and parsing code as a call to
 * Exchange, so it shows what the tool does without an account, and a broken
 * build shows up here first.
 */
#include "cli.h"
#include "ews_mock.h"

int cli_with_demo_server(cli_server_fn fn, void *userdata)
{
    ews_mock_mailbox mailbox = { 0 };
    mailbox.address = "demo@contoso.com";
    mailbox.xml = ews_mock_demo_mailbox_xml();
    ews_mock_options mo = { 0 };
    mo.version = EWS_MOCK_OPTIONS_VERSION;
    mo.bind_address = "127.0.0.1";
    mo.port = 0;
    mo.auth = EWS_MOCK_AUTH_NONE;
    mo.mailboxes = &mailbox;
    mo.mailbox_count = 1;
    /* the mock checks our requests against the schema like the program's
     * default does, so the demo also vouches for what we send */
    mo.strict = 1;

    ews_mock *m = NULL;
    char err[256] = "";
    if (ews_mock_start(&m, &mo, err, sizeof err) != 0) {
        fprintf(stderr, CLI_NAME ": --demo: cannot start the demo server: %s\n",
                err[0] ? err : "unknown error");
        return CLI_EXIT_TRANSPORT;
    }
    int status = fn(ews_mock_url(m), userdata);
    ews_mock_stop(m);
    return status;
}
