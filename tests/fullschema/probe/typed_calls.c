/* Operations outside the IM family, called the way an application would:
 * only the installed headers (<ews/ews.h>, <ews/operations.h>) and libews,
 * against ews-mock-server over HTTP on 127.0.0.1 with canned responses
 * (run.sh starts it with ../../fixtures/canned/ and passes its URL). One
 * operation of each response shape, plus how a call fails: an operation
 * the mock has no answer for, an Error in the second message of an array, a
 * Warning, a RequestServerVersion older than the operation's minimum.
 *   fullschema_probe <EWS URL>
 * Prints a line per check; exits 1 when one fails. */
#include <stdio.h>
#include <string.h>

#include <ews/ews.h>
#include <ews/operations.h>

static int failures;

#define CHECK(cond)                                                               \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, \
                    current, #cond);                                              \
            failures++;                                                           \
        }                                                                         \
    } while (0)

static const char *current = "";

static int same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static int holds(const char *haystack, const char *needle)
{
    return haystack && strstr(haystack, needle);
}

static void report(const char *what, const ews_client *c, int rc)
{
    const ews_error *e = ews_client_last_error(c);
    printf("%-34s rc=%d (%s) code=%s: %s\n", what, rc, ews_err_name(rc),
           e->response_code ? e->response_code : "-", rc ? e->message : "ok");
}

/* ResolveNames (a ResponseMessages array): the canned answer is the
 * several-matches Warning, so the data and the warning both come back.
 * The operation has no minimum version in operations.txt, so an old
 * RequestServerVersion is sent as it is. */
static void resolve_names(ews_client *c)
{
    current = "ResolveNames";
    char entry[] = "kim";
    struct m__ResolveNamesType req = { 0 };
    req.UnresolvedEntry = entry;
    req.ReturnFullContactData = xsd__boolean__false_;
    req.SearchScope = t__ResolveNamesSearchScopeType__ActiveDirectoryContacts;
    ews_call_options call = EWS_CALL_OPTIONS_INIT;
    call.server_version = "Exchange2007_SP1";
    ews_response *r = NULL;
    int rc = ews_call_ResolveNames(&r, c, &req, &call);
    report("ResolveNames (array, Warning)", c, rc);
    CHECK(rc == 0);
    if (rc)
        return;
    CHECK(same(ews_response_operation(r), "ResolveNames"));
    CHECK(ews_response_message_count(r) == 1);
    const ews_error *w = ews_response_warning(r);
    CHECK(w && same(w->response_class, "Warning") &&
          same(w->response_code, "ErrorNameResolutionMultipleResults") &&
          same(w->message_text, "Multiple results were found."));
    const ews_error *last = ews_client_last_error(c);
    CHECK(last->code == 0 && same(last->response_code, "ErrorNameResolutionMultipleResults"));
    const struct m__ResolveNamesResponseType *typed = ews_response_ResolveNames(r);
    CHECK(typed && typed->ResponseMessages &&
          typed->ResponseMessages->__size_ArrayOfResponseMessagesType == 1);
    const struct m__ResolveNamesResponseMessageType *m =
        typed && typed->ResponseMessages
            ? typed->ResponseMessages->__union_ArrayOfResponseMessagesType[0]
                  .ResolveNamesResponseMessage
            : NULL;
    const struct t__ArrayOfResolutionType *set = m ? m->ResolutionSet : NULL;
    CHECK(set && set->__sizeResolution == 2 && set->TotalItemsInView &&
          *set->TotalItemsInView == 2);
    if (set && set->__sizeResolution == 2) {
        const struct t__EmailAddressType *b = set->Resolution[1].Mailbox;
        CHECK(b && same(b->Name, "Kim Abercrombie") &&
              same(b->EmailAddress, "kim.abercrombie@contoso.com") &&
              same(b->MailboxType, "Contact") && b->ItemId &&
              same(b->ItemId->Id, "AAMkAGNvbnRhY3QtMQ=="));
        CHECK(set->Resolution[0].Mailbox &&
              same(set->Resolution[0].Mailbox->EmailAddress, "kim.akers@contoso.com"));
    }
    /* Typed accessors answer only for their own operation. */
    CHECK(ews_response_GetPersona(r) == NULL);
    const ews_server_version *v = ews_response_server_version(r);
    CHECK(v && v->major_version == 15 && v->major_build == 893);
    ews_response_free(r);
}

/* GetPersona: one response message, the Body's child. */
static void get_persona(ews_client *c)
{
    current = "GetPersona";
    char persona_id[] = "AAUQAGNlZGVyLWFsbGVu";
    struct t__ItemIdType id = { persona_id, NULL };
    struct m__GetPersonaType req = { 0 };
    req.PersonaId = &id;
    ews_response *r = NULL;
    int rc = ews_call_GetPersona(&r, c, &req, NULL);
    report("GetPersona (single)", c, rc);
    CHECK(rc == 0);
    if (rc)
        return;
    CHECK(ews_response_message_count(r) == 1 && ews_response_warning(r) == NULL);
    const struct m__GetPersonaResponseMessageType *m = ews_response_GetPersona(r);
    const struct t__PersonaType *p = m ? m->Persona : NULL;
    CHECK(m && m->ResponseClass == t__ResponseClassType__Success);
    CHECK(p && same(p->DisplayName, "Cedric Allen") && same(p->CompanyName, "Fabrikam") &&
          p->PersonaId && same(p->PersonaId->Id, "AAUQAGNlZGVyLWFsbGVu"));
    CHECK(p && p->EmailAddress && same(p->EmailAddress->EmailAddress, "cedric.allen@fabrikam.com"));
    CHECK(p && p->RelevanceScore && *p->RelevanceScore == 7);
    ews_response_free(r);
}

/* GetUserOofSettings: the response message nested in the response, beside
 * the data. */
static void get_user_oof_settings(ews_client *c)
{
    current = "GetUserOofSettings";
    char address[] = "dana@contoso.com";
    struct t__EmailAddress who = { NULL, address, NULL };
    struct m__GetUserOofSettingsRequest req = { &who };
    ews_response *r = NULL;
    int rc = ews_call_GetUserOofSettings(&r, c, &req, NULL);
    report("GetUserOofSettings (nested)", c, rc);
    CHECK(rc == 0);
    if (rc)
        return;
    CHECK(ews_response_message_count(r) == 1 && ews_response_warning(r) == NULL);
    const struct m__GetUserOofSettingsResponse *o = ews_response_GetUserOofSettings(r);
    const struct t__UserOofSettings *s = o ? o->t__OofSettings : NULL;
    CHECK(o && o->ResponseMessage && o->ResponseMessage->ResponseClass == t__ResponseClassType__Success);
    CHECK(s && s->OofState == t__OofState__Scheduled &&
          s->ExternalAudience == t__ExternalAudience__Known);
    CHECK(s && s->InternalReply &&
          same(s->InternalReply->Message, "Back on 24 August; ask Dana meanwhile."));
    CHECK(s && s->Duration && holds(s->Duration->EndTime, "2026-08-21"));
    CHECK(o && o->AllowExternalOof && *o->AllowExternalOof == t__ExternalAudience__All);
    ews_response_free(r);
}

/* GetFolder for two folders, the second gone: the call fails as a whole
 * and the error says which message. */
static void get_folder_second_error(ews_client *c)
{
    current = "GetFolder";
    struct t__DistinguishedFolderIdType inbox = { 0 };
    inbox.Id = t__DistinguishedFolderIdNameType__inbox;
    char gone_id[] = "AAMkAGdvbmUtMg==";
    struct t__FolderIdType gone = { gone_id, NULL };
    struct __t__union_NonEmptyArrayOfBaseFolderIdsType ids[2] = { { 0 }, { 0 } };
    ids[0].DistinguishedFolderId = &inbox;
    ids[1].FolderId = &gone;
    struct t__NonEmptyArrayOfBaseFolderIdsType folder_ids = { 2, ids };
    struct t__FolderResponseShapeType shape = { 0 };
    shape.BaseShape = t__DefaultShapeNamesType__IdOnly;
    struct m__GetFolderType req = { &shape, &folder_ids };
    ews_response *r = NULL;
    int rc = ews_call_GetFolder(&r, c, &req, NULL);
    report("GetFolder (array, 2nd is Error)", c, rc);
    const ews_error *e = ews_client_last_error(c);
    CHECK(rc == EWS_EEWS && r == NULL);
    CHECK(same(e->response_class, "Error") && same(e->response_code, "ErrorItemNotFound"));
    CHECK(holds(e->message, "GetFolder") && holds(e->message, "2 of 2"));
    CHECK(holds(e->message_text, "not found in the store"));
    ews_response_free(r);
}

/* An operation the mock has neither behaviour nor a canned answer for: an
 * Error message of its own shape (the generated fallback), one per shape. */
static void not_implemented(ews_client *c)
{
    current = "not implemented";
    ews_response *r = NULL;
    char address[] = "dana@contoso.com";

    struct m__GetPasswordExpirationDateType single = { address };
    int rc = ews_call_GetPasswordExpirationDate(&r, c, &single, NULL);
    report("GetPasswordExpirationDate (none)", c, rc);
    const ews_error *e = ews_client_last_error(c);
    CHECK(rc == EWS_EEWS && r == NULL && same(e->response_code, "ErrorInvalidOperation") &&
          holds(e->message_text, "does not implement GetPasswordExpirationDate"));

    struct t__DistinguishedFolderIdType inbox = { 0 };
    inbox.Id = t__DistinguishedFolderIdNameType__inbox;
    struct __t__union_NonEmptyArrayOfBaseFolderIdsType id = { 0 };
    id.DistinguishedFolderId = &inbox;
    struct t__NonEmptyArrayOfBaseFolderIdsType folder_ids = { 1, &id };
    struct m__EmptyFolderType empty = { 0 };
    empty.FolderIds = &folder_ids;
    empty.DeleteType = t__DisposalType__SoftDelete;
    empty.DeleteSubFolders = xsd__boolean__false_;
    rc = ews_call_EmptyFolder(&r, c, &empty, NULL);
    report("EmptyFolder (none, array)", c, rc);
    e = ews_client_last_error(c);
    CHECK(rc == EWS_EEWS && r == NULL && same(e->response_code, "ErrorInvalidOperation") &&
          holds(e->message_text, "does not implement EmptyFolder"));

    struct t__EmailAddress who = { NULL, address, NULL };
    struct t__UserOofSettings off = { 0 };
    off.OofState = t__OofState__Disabled;
    off.ExternalAudience = t__ExternalAudience__None;
    struct m__SetUserOofSettingsRequest nested = { &who, &off };
    rc = ews_call_SetUserOofSettings(&r, c, &nested, NULL);
    report("SetUserOofSettings (none, nested)", c, rc);
    e = ews_client_last_error(c);
    CHECK(rc == EWS_EEWS && r == NULL && same(e->response_code, "ErrorInvalidOperation") &&
          holds(e->message_text, "does not implement SetUserOofSettings"));

    /* GetUserAvailability has no response message the runtime reads (its
     * messages sit in each FreeBusyResponse): the mock answers a fault. */
    char start[] = "2026-08-03T00:00:00", end[] = "2026-08-04T00:00:00";
    struct t__SerializableTimeZoneTime rule = { 0 };
    char two_am[] = "02:00:00";
    rule.Time = two_am;
    rule.DayOrder = 1;
    rule.Month = 1;
    struct t__SerializableTimeZone utc = { 0, &rule, &rule };
    struct t__MailboxData mailbox = { &who, t__MeetingAttendeeType__Required, NULL };
    struct t__ArrayOfMailboxData mailboxes = { 1, &mailbox };
    struct t__Duration window = { start, end };
    struct t__FreeBusyViewOptionsType view = { &window, NULL, NULL };
    struct m__GetUserAvailabilityRequestType other = { &utc, &mailboxes, &view, NULL };
    rc = ews_call_GetUserAvailability(&r, c, &other, NULL);
    report("GetUserAvailability (none, other)", c, rc);
    e = ews_client_last_error(c);
    CHECK(rc == EWS_EFAULT && r == NULL && holds(e->soap_faultcode, "ErrorInvalidOperation") &&
          holds(e->soap_faultstring, "does not implement GetUserAvailability"));
}

/* operations.txt gives the IM operations a minimum version: an older one is
 * refused before anything is sent. */
static void too_old(ews_client *c)
{
    current = "minimum version";
    struct m__GetImItemListType req = { 0 };
    ews_call_options call = EWS_CALL_OPTIONS_INIT;
    call.server_version = "Exchange2010_SP2";
    ews_response *r = NULL;
    int rc = ews_call_GetImItemList(&r, c, &req, &call);
    report("GetImItemList as Exchange2010_SP2", c, rc);
    const ews_error *e = ews_client_last_error(c);
    CHECK(rc == EWS_EVERSION && r == NULL && e->category == EWS_CAT_VERSION &&
          e->attempts == 0 && e->http_status == 0);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fullschema_probe <EWS URL>\n");
        return 2;
    }
    current = "setup";
    CHECK(ews_operation_count() == EWS_GENERATED_OPERATION_COUNT);
    printf("%zu operations\n", ews_operation_count());
    ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
    o.url = argv[1];
    o.allow_insecure_http = 1;
    o.retry.max_attempts = 1;
    ews_client *c = NULL;
    int rc = ews_client_new(&c, &o);
    if (rc) {
        fprintf(stderr, "fullschema_probe: ews_client_new: %s\n", ews_strerror(rc));
        return 1;
    }
    resolve_names(c);
    get_persona(c);
    get_user_oof_settings(c);
    get_folder_second_error(c);
    not_implemented(c);
    too_old(c);
    ews_client_free(c);
    printf("%d check(s) failed\n", failures);
    return failures ? 1 : 0;
}
