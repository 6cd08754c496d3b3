/* A program that uses the installed library the way an application would:
 * public headers only, linked against the shared libews. */
#include <stdio.h>
#include <string.h>

#include <ews/ews.h>
#include <ews/operations.h>

static const char response[] =
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
    "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
    "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><s:Body>"
    "<m:GetImItemListResponse ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
    "<m:ImItemList><t:Groups><t:ImGroup><t:DisplayName>Installed</t:DisplayName>"
    "<t:GroupType>IPM.DistList.MOC.UserGroup</t:GroupType></t:ImGroup></t:Groups>"
    "</m:ImItemList></m:GetImItemListResponse></s:Body></s:Envelope>";

int main(void)
{
    /* The header and the library linked at run time must agree. */
    if (strcmp(ews_version(), EWS_VERSION_STRING) != 0 || ews_version_number() != EWS_VERSION_NUMBER) {
        fprintf(stderr, "header %s, library %s\n", EWS_VERSION_STRING, ews_version());
        return 1;
    }
    /* The generated calls are exported, one per generated operation. */
    int (*call)(ews_response **, ews_client *, const struct m__GetImItemListType *,
                const ews_call_options *) = ews_call_GetImItemList;
    if (!call || ews_operation_count() != EWS_GENERATED_OPERATION_COUNT) {
        fprintf(stderr, "%zu operations, header says %d\n", ews_operation_count(),
                EWS_GENERATED_OPERATION_COUNT);
        return 1;
    }
    /* The generated response message behind an ews_imlist, through the
     * installed generated types. */
    ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
    ews_client *client = NULL;
    ews_imlist *list = NULL;
    if (ews_client_new(&client, &o) != 0 ||
        ews_im_item_list_parse(&list, client, response, sizeof response - 1) != 0) {
        fprintf(stderr, "parse: %s\n", client ? ews_client_last_error(client)->message : "no client");
        return 1;
    }
    const struct m__GetImItemListResponseMessageType *m = ews_imlist_generated(list);
    const char *name = m->ImItemList->Groups->__union_ArrayOfImGroupType[0].ImGroup->DisplayName;
    printf("ews %s: %s; %zu operations; group %s\n", ews_version(), ews_strerror(EWS_ETIMEDOUT),
           ews_operation_count(), name);
    int ok = strcmp(name, "Installed") == 0;
    ews_imlist_free(list);
    ews_client_free(client);
    return ok ? 0 : 1;
}
