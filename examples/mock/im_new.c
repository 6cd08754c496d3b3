#include "im_new.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include "soapH.h"
#include "ids.h"
#include "imlist_edit.h"

/* Exchange's "not ranked" relevance. */
#define UNRANKED 2147483647

static char *new_id(struct soap *soap, const struct t__ImItemListType *l, mock_id_kind kind)
{
    char id[MOCK_ID_SIZE];
    do
        mock_new_id(id, kind);
    while (imlist_id_in_use(l, id));
    return soap_strdup(soap, id);
}

static char *now(struct soap *soap)
{
    char buf[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return soap_strdup(soap, buf);
}

static enum xsd__boolean *boolean(struct soap *soap, int v)
{
    enum xsd__boolean *b = soap_malloc(soap, sizeof *b);
    if (b)
        *b = v ? xsd__boolean__true_ : xsd__boolean__false_;
    return b;
}

struct t__ImGroupType *mock_new_group(struct soap *soap, const struct t__ImItemListType *l,
                                      const char *display_name, const char *group_type,
                                      const char *smtp)
{
    struct t__ImGroupType *g = soap_new_t__ImGroupType(soap, 1);
    if (!g || !(g->DisplayName = soap_strdup(soap, display_name)) ||
        !(g->GroupType = soap_strdup(soap, group_type)) ||
        !(g->ExchangeStoreId = soap_new_t__ItemIdType(soap, 1)) ||
        !(g->ExchangeStoreId->Id = new_id(soap, l, MOCK_ID_ITEM)) ||
        !(g->ExchangeStoreId->ChangeKey = soap_strdup(soap, MOCK_GROUP_CHANGE_KEY)) ||
        (smtp && !(g->SmtpAddress = soap_strdup(soap, smtp))))
        return NULL;
    return g;
}

/* Every attributed value of a new contact comes from its one contact item,
 * attribution "0". */
static struct t__ArrayOfValueAttributionsType *from_item(struct soap *soap)
{
    struct t__ArrayOfValueAttributionsType *a = soap_new_t__ArrayOfValueAttributionsType(soap, 1);
    char **ids = soap_malloc(soap, sizeof *ids);
    if (!a || !ids || !(ids[0] = soap_strdup(soap, "0")))
        return NULL;
    a->__sizeAttribution = 1;
    a->Attribution = ids;
    return a;
}

static struct t__ArrayOfStringAttributedValuesType *attributed(struct soap *soap, const char *s)
{
    struct t__ArrayOfStringAttributedValuesType *a =
        soap_new_t__ArrayOfStringAttributedValuesType(soap, 1);
    struct t__StringAttributedValueType *v = soap_new_t__StringAttributedValueType(soap, 1);
    if (!a || !v || !(v->Value = soap_strdup(soap, s)) || !(v->Attributions = from_item(soap)))
        return NULL;
    a->__sizeStringAttributedValue = 1;
    a->StringAttributedValue = v;
    return a;
}

static struct t__ArrayOfPersonaAttributionsType *item_attribution(
    struct soap *soap, const struct t__ImItemListType *l, const char *source, int writable)
{
    struct t__ArrayOfPersonaAttributionsType *a =
        soap_new_t__ArrayOfPersonaAttributionsType(soap, 1);
    struct t__PersonaAttributionType *at = soap_new_t__PersonaAttributionType(soap, 1);
    struct t__ItemIdType *sid = soap_new_t__ItemIdType(soap, 1);
    if (!a || !at || !sid || !(sid->Id = new_id(soap, l, MOCK_ID_ITEM)) ||
        !(sid->ChangeKey = soap_strdup(soap, MOCK_CONTACT_CHANGE_KEY)) ||
        !(at->Id = soap_strdup(soap, "0")) || !(at->DisplayName = soap_strdup(soap, source)) ||
        !(at->IsWritable = boolean(soap, writable)) ||
        !(at->IsQuickContact = boolean(soap, 1)) || !(at->IsHidden = boolean(soap, 0)))
        return NULL;
    at->SourceId = sid;
    a->__sizeAttribution = 1;
    a->Attribution = at;
    return a;
}

/* What every new contact has. */
static struct t__PersonaType *base(struct soap *soap, const struct t__ImItemListType *l,
                                   const char *source, int writable)
{
    struct t__PersonaType *p = soap_new_t__PersonaType(soap, 1);
    if (!p || !(p->PersonaId = soap_new_t__ItemIdType(soap, 1)) ||
        !(p->PersonaId->Id = new_id(soap, l, MOCK_ID_PERSONA)) ||
        !(p->PersonaType = soap_strdup(soap, "Person")) || !(p->CreationTime = now(soap)) ||
        !(p->FileAsId = soap_strdup(soap, "None")) ||
        !(p->RelevanceScore = soap_malloc(soap, sizeof *p->RelevanceScore)) ||
        !(p->Attributions = item_attribution(soap, l, source, writable)) ||
        !(p->FileAsIds = attributed(soap, "None")))
        return NULL;
    *p->RelevanceScore = UNRANKED;
    return p;
}

/* "sip:tony@contoso.com" is also the mail address tony@contoso.com. */
static const char *mail_part(const char *im_address)
{
    const char *a = strncasecmp(im_address, "sip:", 4) == 0 ? im_address + 4 : im_address;
    return strchr(a, '@') ? a : NULL;
}

static struct t__EmailAddressType *email(struct soap *soap, const char *name, const char *addr)
{
    struct t__EmailAddressType *e = soap_new_t__EmailAddressType(soap, 1);
    if (!e || !(e->Name = soap_strdup(soap, name)) ||
        !(e->EmailAddress = soap_strdup(soap, addr)) ||
        !(e->RoutingType = soap_strdup(soap, "SMTP")))
        return NULL;
    return e;
}

struct t__PersonaType *mock_new_im_contact(struct soap *soap, const struct t__ImItemListType *l,
                                           const char *im_address, const char *display_name)
{
    const char *name = display_name ? display_name : im_address;
    const char *mail = mail_part(im_address);
    struct t__PersonaType *p = base(soap, l, "Outlook", 1);
    if (!p || !(p->DisplayName = soap_strdup(soap, name)) ||
        !(p->DisplayNameFirstLast = soap_strdup(soap, name)) ||
        !(p->DisplayNameLastFirst = soap_strdup(soap, name)) ||
        !(p->ImAddress = soap_strdup(soap, im_address)) ||
        !(p->DisplayNames = attributed(soap, name)) ||
        !(p->ImAddresses = attributed(soap, im_address)) ||
        (mail && !(p->EmailAddress = email(soap, name, mail))))
        return NULL;
    return p;
}

struct t__PersonaType *mock_new_tel_contact(struct soap *soap, const struct t__ImItemListType *l,
                                            const char *number)
{
    struct t__PersonaType *p = base(soap, l, "Lync Contacts", 0);
    struct t__ArrayOfPhoneNumberAttributedValuesType *phones =
        soap_new_t__ArrayOfPhoneNumberAttributedValuesType(soap, 1);
    struct t__PhoneNumberAttributedValueType *v = soap_new_t__PhoneNumberAttributedValueType(soap, 1);
    struct t__PersonaPhoneNumberType *ph = soap_new_t__PersonaPhoneNumberType(soap, 1);
    /* As in the reference response: no display name, the number in the
     * sortable name forms and under OtherTelephones. */
    if (!p || !phones || !v || !ph || !(p->DisplayName = soap_strdup(soap, "")) ||
        !(p->DisplayNameFirstLast = soap_strdup(soap, number)) ||
        !(p->DisplayNameLastFirst = soap_strdup(soap, number)) ||
        !(p->FileAs = soap_strdup(soap, "")) || !(ph->Number = soap_strdup(soap, number)) ||
        !(ph->Type = soap_strdup(soap, "Other")) || !(v->Attributions = from_item(soap)))
        return NULL;
    v->Value = ph;
    phones->__sizePhoneNumberAttributedValue = 1;
    phones->PhoneNumberAttributedValue = v;
    p->OtherTelephones = phones;
    return p;
}
