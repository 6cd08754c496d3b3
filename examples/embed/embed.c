/* Minimal embedding of libews: list a mailbox's IM groups and their
 * members. Usage: ews-embed URL USER AUTH   (password from EWS_PASSWORD)
 * AUTH is one of none, basic, ntlm, negotiate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ews/ews.h>

static ews_auth_method auth_of(const char *s)
{
    if (strcmp(s, "basic") == 0)
        return EWS_AUTH_BASIC;
    if (strcmp(s, "ntlm") == 0)
        return EWS_AUTH_NTLM;
    if (strcmp(s, "negotiate") == 0)
        return EWS_AUTH_NEGOTIATE;
    return EWS_AUTH_NONE;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s URL USER none|basic|ntlm|negotiate\n", argv[0]);
        return 2;
    }
    ews_client_options opts = EWS_CLIENT_OPTIONS_INIT;
    opts.url = argv[1];
    opts.username = argv[2];
    opts.auth = auth_of(argv[3]);
    opts.password = getenv("EWS_PASSWORD");
    /* Only for loopback labs: a plain http:// URL is refused otherwise. */
    opts.allow_insecure_http = strncmp(argv[1], "http://127.0.0.1", 16) == 0;

    ews_client *client = NULL;
    ews_imlist *list = NULL;
    int rc = ews_client_new(&client, &opts);
    if (rc == 0)
        rc = ews_get_im_item_list(&list, client, NULL);
    if (rc != 0) {
        const ews_error *e = ews_client_last_error(client);
        fprintf(stderr, "ews-embed: %s [%s]\n", e ? e->message : ews_strerror(rc),
                ews_category_name(e ? e->category : ews_err_category(rc)));
        ews_client_free(client);
        return 1;
    }
    for (size_t i = 0; i < ews_imlist_group_count(list); i++) {
        const ews_im_group *g = ews_imlist_group(list, i);
        printf("%s (%zu members)\n", ews_im_group_display_name(g), ews_im_group_member_count(g));
        for (size_t k = 0; k < ews_im_group_persona_count(g); k++)
            printf("  %s\n", ews_persona_display_name(ews_im_group_persona(g, k)));
    }
    printf("%zu personas\n", ews_imlist_persona_count(list));
    ews_imlist_free(list);
    ews_client_free(client);
    return 0;
}
