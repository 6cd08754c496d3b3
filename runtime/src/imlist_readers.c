/* The response readers of the IM-list operations. */
#include "soapH.h"
#include "imlist_read.h"

/* All generated names of an operation's response derive from Op; `take`
 * copies its payload from the message m into the ews_im_response out. */
#define IM_READER(Op, name, kind, take)                                                   \
    static int read_##Op(struct soap *soap, void *result)                                 \
    {                                                                                     \
        ews_im_response *out = result;                                                    \
        struct __m__##Op##Response r;                                                     \
        soap_default___m__##Op##Response(soap, &r);                                       \
        soap_get___m__##Op##Response(soap, &r, "-m:" #Op "Response", NULL);               \
        const struct m__##Op##ResponseMessageType *m = r.m__##Op##Response;               \
        if (soap->error == SOAP_OK && m) {                                                \
            out->message = m;                                                             \
            EWS_RESPONSE_STATUS(m, __##Op##ResponseMessageType_sequence, &out->status);   \
            take;                                                                         \
        }                                                                                 \
        return soap->error;                                                               \
    }                                                                                     \
    const ews_im_reader ews_im_reader_##name = { #Op, kind, read_##Op }

#define TAKE_LIST                                                                         \
    do {                                                                                  \
        out->groups = m->ImItemList ? m->ImItemList->Groups : NULL;                       \
        out->people = m->ImItemList ? m->ImItemList->Personas : NULL;                     \
    } while (0)
#define TAKE_GROUP (out->group = m->ImGroup)
#define TAKE_PERSONA (out->persona = m->Persona)
#define TAKE_NOTHING ((void)m)

IM_READER(GetImItemList, get_im_item_list, EWS_IM_RESULT_LIST, TAKE_LIST);
IM_READER(GetImItems, get_im_items, EWS_IM_RESULT_LIST, TAKE_LIST);
IM_READER(AddImGroup, add_im_group, EWS_IM_RESULT_GROUP, TAKE_GROUP);
IM_READER(SetImGroup, set_im_group, EWS_IM_RESULT_NONE, TAKE_NOTHING);
IM_READER(RemoveImGroup, remove_im_group, EWS_IM_RESULT_NONE, TAKE_NOTHING);
IM_READER(AddImContactToGroup, add_im_contact_to_group, EWS_IM_RESULT_NONE, TAKE_NOTHING);
IM_READER(AddNewImContactToGroup, add_new_im_contact_to_group, EWS_IM_RESULT_PERSONA,
          TAKE_PERSONA);
IM_READER(AddNewTelUriContactToGroup, add_new_tel_uri_contact_to_group, EWS_IM_RESULT_PERSONA,
          TAKE_PERSONA);
IM_READER(AddDistributionGroupToImList, add_distribution_group_to_im_list, EWS_IM_RESULT_GROUP,
          TAKE_GROUP);
IM_READER(RemoveImContactFromGroup, remove_im_contact_from_group, EWS_IM_RESULT_NONE,
          TAKE_NOTHING);
IM_READER(RemoveContactFromImList, remove_contact_from_im_list, EWS_IM_RESULT_NONE,
          TAKE_NOTHING);
IM_READER(RemoveDistributionGroupFromImList, remove_distribution_group_from_im_list,
          EWS_IM_RESULT_NONE, TAKE_NOTHING);
