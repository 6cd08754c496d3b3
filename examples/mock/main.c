/* ews-mock-server: runs the loopback mock EWS server until SIGINT or
 * SIGTERM. See README.md in this directory. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews_mock.h"
#include "util.h"

#define MAX_LIST 64

static const char usage[] =
    "Usage: ews-mock-server [OPTION]...\n"
    "Serve the EWS IM list operations on a loopback address for tests and demos.\n"
    "Changes are written back to the mailbox files. Every other operation the\n"
    "library was generated with answers with its canned response, or else with\n"
    "an Error response (ErrorInvalidOperation) saying the mock does not implement it.\n"
    "\n"
    "  --bind ADDR            address to listen on (default 127.0.0.1)\n"
    "  --port N               port (default 0: any free port)\n"
    "  --port-file FILE       write the port to FILE once listening\n"
    "  --mailbox ADDR=FILE    serve FILE as the mailbox of ADDR (repeatable;\n"
    "                         the first one is the authenticated user's own)\n"
    "  --demo                 serve the built-in demo mailbox as " EWS_MOCK_DEMO_ADDRESS "\n"
    "  --auth none|basic|bearer  HTTP authentication (default none)\n"
    "  --user U               the user name (basic) and caller identity\n"
    "  --password-file F      basic: the password, first line of F\n"
    "  --token-file F         bearer: the token, first line of F\n"
    "  --impersonator U       U may use ExchangeImpersonation (repeatable)\n"
    "  --tls-cert F --tls-key F  serve HTTPS with this PEM certificate and key\n"
    "  --min-version V        oldest RequestServerVersion accepted (default Exchange2013)\n"
    "  --no-strict            do not schema-check requests\n"
    "  --busy N:MS            the next N requests get ErrorServerBusy, back-off MS\n"
    "  --http503 N:SECONDS    the next N requests get 503 with Retry-After SECONDS\n"
    "  --delay MS             delay every response by MS milliseconds\n"
    "  --max-concurrency N:MS more than N EWS requests at once get ErrorServerBusy\n"
    "                         with BackOffMilliseconds MS (Exchange's EWSMaxConcurrency)\n"
    "  --generate-mailboxes N also serve user1@contoso.com ... userN@contoso.com, each\n"
    "                         with the first mailbox's list\n"
    "  --request-log FILE     a line per EWS request: start and end (monotonic\n"
    "                         microseconds), connection number, HTTP status, EWS code\n"
    "  --stats FILE           at exit write the connections, handshakes, requests,\n"
    "                         busy answers and peak concurrency seen to FILE ('-':\n"
    "                         standard output)\n"
    "  --autodiscover-redirect FROM=TO\n"
    "                         POX Autodiscover for FROM answers redirectAddr TO (an\n"
    "                         address) or redirectUrl TO (a URL); repeatable\n"
    "  --canned OP=FILE       answer every request for operation OP with the SOAP\n"
    "                         envelope in FILE, as it is (repeatable)\n"
    "  --canned DIR           the same for each OP.xml in DIR (without --mailbox\n"
    "                         or --demo, the demo mailbox serves the rest)\n"
    "  --help                 show this help\n"
    "\n"
    "Prints 'listening on <url>' once ready; stops on SIGINT or SIGTERM.\n";

/* "ews-mock-server: <what>, not '<arg>'" (or without the arg), exit 2. */
static void die_usage(const char *what, const char *arg)
{
    if (arg)
        fprintf(stderr, "ews-mock-server: %s, not '%s'\n", what, arg);
    else
        fprintf(stderr, "ews-mock-server: %s\n", what);
    fprintf(stderr, "Try 'ews-mock-server --help'.\n");
    exit(2);
}

static long parse_number(const char *s, const char *what)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0)
        die_usage(what, s);
    return v;
}

/* "N:M" into two numbers. */
static void parse_pair(const char *s, const char *what, long *n, long *m)
{
    char buf[64];
    const char *colon = strchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof buf)
        die_usage(what, s);
    memcpy(buf, s, (size_t)(colon - s));
    buf[colon - s] = '\0';
    *n = parse_number(buf, what);
    *m = parse_number(colon + 1, what);
}

/* The first line of a file holding a secret; exits on failure. */
static char *read_secret(const char *path)
{
    char *data;
    size_t len;
    int e = mock_read_file(path, 64 * 1024, &data, &len);
    if (e) {
        fprintf(stderr, "ews-mock-server: cannot read %s: %s\n", path, strerror(e));
        exit(1);
    }
    data[strcspn(data, "\r\n")] = '\0';
    if (!*data) {
        fprintf(stderr, "ews-mock-server: %s is empty\n", path);
        exit(1);
    }
    return data;
}

static int write_port_file(const char *path, unsigned short port)
{
    /* Written under a temporary name and renamed, so whoever polls for
     * the file never reads half a number. */
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return -1;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    int bad = fprintf(f, "%u\n", (unsigned)port) < 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    enum {
        O_BIND = 1000, O_PORT, O_PORT_FILE, O_MAILBOX, O_DEMO, O_AUTH, O_USER, O_PASSWORD_FILE,
        O_TOKEN_FILE, O_IMPERSONATOR, O_TLS_CERT, O_TLS_KEY, O_MIN_VERSION, O_NO_STRICT, O_BUSY,
        O_HTTP503, O_DELAY, O_HELP, O_AD_REDIRECT, O_MAX_CONCURRENCY, O_GENERATE,
        O_REQUEST_LOG, O_STATS, O_CANNED
    };
    static const struct option longopts[] = {
        { "bind", required_argument, NULL, O_BIND },
        { "port", required_argument, NULL, O_PORT },
        { "port-file", required_argument, NULL, O_PORT_FILE },
        { "mailbox", required_argument, NULL, O_MAILBOX },
        { "demo", no_argument, NULL, O_DEMO },
        { "auth", required_argument, NULL, O_AUTH },
        { "user", required_argument, NULL, O_USER },
        { "password-file", required_argument, NULL, O_PASSWORD_FILE },
        { "token-file", required_argument, NULL, O_TOKEN_FILE },
        { "impersonator", required_argument, NULL, O_IMPERSONATOR },
        { "tls-cert", required_argument, NULL, O_TLS_CERT },
        { "tls-key", required_argument, NULL, O_TLS_KEY },
        { "min-version", required_argument, NULL, O_MIN_VERSION },
        { "no-strict", no_argument, NULL, O_NO_STRICT },
        { "busy", required_argument, NULL, O_BUSY },
        { "http503", required_argument, NULL, O_HTTP503 },
        { "delay", required_argument, NULL, O_DELAY },
        { "autodiscover-redirect", required_argument, NULL, O_AD_REDIRECT },
        { "max-concurrency", required_argument, NULL, O_MAX_CONCURRENCY },
        { "generate-mailboxes", required_argument, NULL, O_GENERATE },
        { "request-log", required_argument, NULL, O_REQUEST_LOG },
        { "stats", required_argument, NULL, O_STATS },
        { "canned", required_argument, NULL, O_CANNED },
        { "help", no_argument, NULL, O_HELP },
        { NULL, 0, NULL, 0 }
    };

    ews_mock_options o;
    memset(&o, 0, sizeof o);
    o.version = EWS_MOCK_OPTIONS_VERSION;
    o.strict = 1;
    ews_mock_faults faults;
    memset(&faults, 0, sizeof faults);
    faults.retry_after_s = -1;
    ews_mock_mailbox mailboxes[MAX_LIST];
    size_t mailbox_count = 0;
    const char *impersonators[MAX_LIST + 1] = { NULL };
    size_t impersonator_count = 0;
    const char *port_file = NULL;
    char *password = NULL, *token = NULL;
    const char *ad_redirects[MAX_LIST + 1] = { NULL };
    size_t ad_redirect_count = 0;
    const char *stats = NULL;
    const char *canned[MAX_LIST + 1] = { NULL };
    size_t canned_count = 0;

    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case O_BIND: o.bind_address = optarg; break;
        case O_PORT: {
            long p = parse_number(optarg, "--port wants a number from 0 to 65535");
            if (p > 65535)
                die_usage("--port wants a number from 0 to 65535", optarg);
            o.port = (unsigned short)p;
            break;
        }
        case O_PORT_FILE: port_file = optarg; break;
        case O_MAILBOX: {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg || !eq[1])
                die_usage("--mailbox wants ADDRESS=FILE", optarg);
            if (mailbox_count == MAX_LIST)
                die_usage("too many mailboxes (at most 64)", NULL);
            *eq = '\0';
            mailboxes[mailbox_count++] = (ews_mock_mailbox){ optarg, eq + 1, NULL, NULL };
            break;
        }
        case O_DEMO:
            if (mailbox_count == MAX_LIST)
                die_usage("too many mailboxes (at most 64)", NULL);
            mailboxes[mailbox_count++] =
                (ews_mock_mailbox){ EWS_MOCK_DEMO_ADDRESS, NULL, ews_mock_demo_mailbox_xml(), NULL };
            break;
        case O_AUTH:
            if (strcmp(optarg, "none") == 0)
                o.auth = EWS_MOCK_AUTH_NONE;
            else if (strcmp(optarg, "basic") == 0)
                o.auth = EWS_MOCK_AUTH_BASIC;
            else if (strcmp(optarg, "bearer") == 0)
                o.auth = EWS_MOCK_AUTH_BEARER;
            else
                die_usage("--auth wants none, basic or bearer", optarg);
            break;
        case O_USER: o.username = optarg; break;
        case O_PASSWORD_FILE: free(password); password = read_secret(optarg); break;
        case O_TOKEN_FILE: free(token); token = read_secret(optarg); break;
        case O_IMPERSONATOR:
            if (impersonator_count == MAX_LIST)
                die_usage("too many impersonators (at most 64)", NULL);
            impersonators[impersonator_count++] = optarg;
            break;
        case O_TLS_CERT: o.tls_cert_file = optarg; break;
        case O_TLS_KEY: o.tls_key_file = optarg; break;
        case O_MIN_VERSION: o.min_server_version = optarg; break;
        case O_NO_STRICT: o.strict = 0; break;
        case O_BUSY: {
            long n, ms;
            parse_pair(optarg, "--busy wants COUNT:MILLISECONDS", &n, &ms);
            faults.busy_count = n > 1000000 ? 1000000 : (int)n;
            faults.busy_back_off_ms = ms;
            break;
        }
        case O_HTTP503: {
            long n, s;
            parse_pair(optarg, "--http503 wants COUNT:SECONDS", &n, &s);
            faults.http503_count = n > 1000000 ? 1000000 : (int)n;
            faults.retry_after_s = s;
            break;
        }
        case O_DELAY: faults.delay_ms = parse_number(optarg, "--delay wants milliseconds"); break;
        case O_AD_REDIRECT:
            if (ad_redirect_count == MAX_LIST || !strchr(optarg, '='))
                die_usage("--autodiscover-redirect wants FROM=TO (at most 64)", NULL);
            ad_redirects[ad_redirect_count++] = optarg;
            break;
        case O_MAX_CONCURRENCY: {
            long n, ms;
            parse_pair(optarg, "--max-concurrency wants COUNT:MILLISECONDS", &n, &ms);
            if (n < 1 || n > 100000)
                die_usage("--max-concurrency wants a count from 1 to 100000", optarg);
            o.max_concurrency = (unsigned)n;
            o.busy_back_off_ms = ms;
            break;
        }
        case O_GENERATE: {
            long n = parse_number(optarg, "--generate-mailboxes wants a count");
            if (n > 10000000)
                die_usage("--generate-mailboxes wants at most 10000000", optarg);
            o.generate_mailboxes = (unsigned long)n;
            break;
        }
        case O_REQUEST_LOG: o.request_log = optarg; break;
        case O_STATS: stats = optarg; break;
        case O_CANNED:
            if (canned_count == MAX_LIST)
                die_usage("too many --canned (at most 64)", NULL);
            canned[canned_count++] = optarg;
            break;
        case O_HELP: fputs(usage, stdout); return 0;
        default: fputs("Try 'ews-mock-server --help'.\n", stderr); return 2;
        }
    }
    if (optind < argc)
        die_usage("unexpected argument", argv[optind]);
    /* Canned responses alone are something to serve; the server still
     * needs a mailbox for the caller, so they come with the demo one. */
    if (!mailbox_count && canned_count)
        mailboxes[mailbox_count++] =
            (ews_mock_mailbox){ EWS_MOCK_DEMO_ADDRESS, NULL, ews_mock_demo_mailbox_xml(), NULL };
    if (!mailbox_count)
        die_usage("nothing to serve: give --mailbox ADDRESS=FILE, --demo or --canned", NULL);
    o.password = password;
    o.token = token;
    o.mailboxes = mailboxes;
    o.mailbox_count = mailbox_count;
    o.impersonators = impersonators;
    o.autodiscover_redirects = ad_redirects;
    o.canned = canned;

    /* Signals are taken with sigwait below: block them before the mock's
     * threads exist. A client that disconnects must not kill us. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, NULL);

    char err[1024];
    ews_mock *mock = NULL;
    if (ews_mock_start(&mock, &o, err, sizeof err)) {
        fprintf(stderr, "ews-mock-server: %s\n", err);
        return 1;
    }
    ews_mock_set_faults(mock, &faults);
    if (port_file && write_port_file(port_file, ews_mock_port(mock))) {
        fprintf(stderr, "ews-mock-server: cannot write the port to %s: %s\n", port_file,
                strerror(errno));
        ews_mock_stop(mock);
        return 1;
    }
    printf("listening on %s\n", ews_mock_url(mock));
    fflush(stdout);

    int sig = 0;
    while (sigwait(&stop_signals, &sig) != 0)
        ;
    ews_mock_stats st;
    ews_mock_get_stats(mock, &st);
    ews_mock_stop(mock);
    if (stats) {
        FILE *f = strcmp(stats, "-") == 0 ? stdout : fopen(stats, "w");
        if (f) {
            fprintf(f, "stats connections=%lu handshakes=%lu challenges=%lu requests=%lu "
                       "busy=%lu peak=%lu\n", st.connections, st.handshakes, st.challenges,
                    st.requests, st.busy, st.peak_concurrency);
            if (f == stdout)
                fflush(f);
            else
                fclose(f);
        } else {
            fprintf(stderr, "ews-mock-server: cannot write %s: %s\n", stats, strerror(errno));
        }
    }
    if (port_file)
        remove(port_file);
    free(password);
    free(token);
    return 0;
}
