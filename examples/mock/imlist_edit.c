#include "imlist_edit.h"

#include <string.h>
#include <strings.h>

#include "soapH.h"

static int eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static const char *item_id(const struct t__ItemIdType *id)
{
    return id ? id->Id : NULL;
}

size_t imlist_group_count(const struct t__ImItemListType *l)
{
    return l && l->Groups && l->Groups->__size_ArrayOfImGroupType > 0
               ? (size_t)l->Groups->__size_ArrayOfImGroupType
               : 0;
}

struct t__ImGroupType *imlist_group(const struct t__ImItemListType *l, size_t i)
{
    return i < imlist_group_count(l) ? l->Groups->__union_ArrayOfImGroupType[i].ImGroup : NULL;
}

size_t imlist_persona_count(const struct t__ImItemListType *l)
{
    return l && l->Personas && l->Personas->__size_ArrayOfPeopleType > 0
               ? (size_t)l->Personas->__size_ArrayOfPeopleType
               : 0;
}

struct t__PersonaType *imlist_persona(const struct t__ImItemListType *l, size_t i)
{
    return i < imlist_persona_count(l) ? l->Personas->__union_ArrayOfPeopleType[i].Persona
                                       : NULL;
}

struct t__ImGroupType *imlist_find_group(const struct t__ImItemListType *l, const char *id)
{
    for (size_t i = 0; i < imlist_group_count(l); i++) {
        struct t__ImGroupType *g = imlist_group(l, i);
        if (g && eq(item_id(g->ExchangeStoreId), id))
            return g;
    }
    return NULL;
}

struct t__ImGroupType *imlist_find_group_named(const struct t__ImItemListType *l,
                                               const char *name,
                                               const struct t__ImGroupType *except)
{
    for (size_t i = 0; name && i < imlist_group_count(l); i++) {
        struct t__ImGroupType *g = imlist_group(l, i);
        if (g && g != except && g->DisplayName && strcasecmp(g->DisplayName, name) == 0)
            return g;
    }
    return NULL;
}

int imlist_group_is(const struct t__ImGroupType *g, const char *group_type)
{
    return g && eq(g->GroupType, group_type);
}

struct t__ImGroupType *imlist_find_group_of_type(const struct t__ImItemListType *l,
                                                 const char *group_type)
{
    for (size_t i = 0; i < imlist_group_count(l); i++)
        if (imlist_group_is(imlist_group(l, i), group_type))
            return imlist_group(l, i);
    return NULL;
}

struct t__ImGroupType *imlist_find_dl(const struct t__ImItemListType *l, const char *smtp)
{
    for (size_t i = 0; smtp && i < imlist_group_count(l); i++) {
        struct t__ImGroupType *g = imlist_group(l, i);
        if (imlist_group_is(g, MOCK_GROUP_DL) && g->SmtpAddress &&
            strcasecmp(g->SmtpAddress, smtp) == 0)
            return g;
    }
    return NULL;
}

int imlist_contact_group(const struct t__ImItemListType *l, const char *id,
                         struct t__ImGroupType **out)
{
    if (!id) {
        /* Where Lync files a contact added without a group. */
        *out = imlist_find_group_of_type(l, MOCK_GROUP_OTHER_CONTACTS);
        return 0;
    }
    *out = imlist_find_group(l, id);
    if (!*out || imlist_group_is(*out, MOCK_GROUP_DL))
        return -1;
    return 0;
}

static size_t attribution_count(const struct t__PersonaType *p)
{
    return p->Attributions && p->Attributions->__sizeAttribution > 0
               ? (size_t)p->Attributions->__sizeAttribution
               : 0;
}

static int persona_named(const struct t__PersonaType *p, const char *id)
{
    if (!p || !id)
        return 0;
    if (eq(item_id(p->PersonaId), id))
        return 1;
    for (size_t k = 0; k < attribution_count(p); k++)
        if (eq(item_id(p->Attributions->Attribution[k].SourceId), id))
            return 1;
    return 0;
}

struct t__PersonaType *imlist_find_contact(const struct t__ImItemListType *l, const char *id)
{
    for (size_t i = 0; i < imlist_persona_count(l); i++)
        if (persona_named(imlist_persona(l, i), id))
            return imlist_persona(l, i);
    return NULL;
}

struct t__PersonaType *imlist_find_im_address(const struct t__ImItemListType *l,
                                              const char *address)
{
    for (size_t i = 0; address && i < imlist_persona_count(l); i++) {
        struct t__PersonaType *p = imlist_persona(l, i);
        if (p && p->ImAddress && strcasecmp(p->ImAddress, address) == 0)
            return p;
    }
    return NULL;
}

int imlist_id_in_use(const struct t__ImItemListType *l, const char *id)
{
    return imlist_find_group(l, id) || imlist_find_contact(l, id);
}

int imlist_add_group(struct soap *soap, struct t__ImItemListType *l, struct t__ImGroupType *g)
{
    if (!l->Groups && !(l->Groups = soap_new_t__ArrayOfImGroupType(soap, 1)))
        return -1;
    size_t n = imlist_group_count(l);
    struct __t__union_ArrayOfImGroupType *a =
        soap_new___t__union_ArrayOfImGroupType(soap, (int)n + 1);
    if (!a)
        return -1;
    if (n)
        memcpy(a, l->Groups->__union_ArrayOfImGroupType, n * sizeof *a);
    a[n].ImGroup = g;
    l->Groups->__union_ArrayOfImGroupType = a;
    l->Groups->__size_ArrayOfImGroupType = (int)n + 1;
    return 0;
}

void imlist_remove_group(struct t__ImItemListType *l, const struct t__ImGroupType *g)
{
    size_t n = imlist_group_count(l), kept = 0;
    for (size_t i = 0; i < n; i++)
        if (l->Groups->__union_ArrayOfImGroupType[i].ImGroup != g)
            l->Groups->__union_ArrayOfImGroupType[kept++] = l->Groups->__union_ArrayOfImGroupType[i];
    if (n)
        l->Groups->__size_ArrayOfImGroupType = (int)kept;
}

int imlist_add_persona(struct soap *soap, struct t__ImItemListType *l, struct t__PersonaType *p)
{
    if (!l->Personas && !(l->Personas = soap_new_t__ArrayOfPeopleType(soap, 1)))
        return -1;
    size_t n = imlist_persona_count(l);
    struct __t__union_ArrayOfPeopleType *a =
        soap_new___t__union_ArrayOfPeopleType(soap, (int)n + 1);
    if (!a)
        return -1;
    if (n)
        memcpy(a, l->Personas->__union_ArrayOfPeopleType, n * sizeof *a);
    a[n].Persona = p;
    l->Personas->__union_ArrayOfPeopleType = a;
    l->Personas->__size_ArrayOfPeopleType = (int)n + 1;
    return 0;
}

void imlist_remove_persona(struct t__ImItemListType *l, const struct t__PersonaType *p)
{
    for (size_t i = 0; i < imlist_group_count(l); i++)
        group_remove_member(imlist_group(l, i), p);
    size_t n = imlist_persona_count(l), kept = 0;
    for (size_t i = 0; i < n; i++)
        if (l->Personas->__union_ArrayOfPeopleType[i].Persona != p)
            l->Personas->__union_ArrayOfPeopleType[kept++] =
                l->Personas->__union_ArrayOfPeopleType[i];
    if (n)
        l->Personas->__size_ArrayOfPeopleType = (int)kept;
}

static size_t member_count(const struct t__ImGroupType *g)
{
    return g && g->MemberCorrelationKey && g->MemberCorrelationKey->__sizeItemId > 0
               ? (size_t)g->MemberCorrelationKey->__sizeItemId
               : 0;
}

int group_has_member(const struct t__ImGroupType *g, const struct t__PersonaType *p)
{
    for (size_t i = 0; i < member_count(g); i++)
        if (persona_named(p, g->MemberCorrelationKey->ItemId[i].Id))
            return 1;
    return 0;
}

int group_add_member(struct soap *soap, struct t__ImGroupType *g, const struct t__PersonaType *p)
{
    /* Groups list contact items, not personas: the first attribution's
     * source is the contact item (a persona without one stands for itself). */
    const struct t__ItemIdType *key =
        attribution_count(p) && p->Attributions->Attribution[0].SourceId
            ? p->Attributions->Attribution[0].SourceId
            : p->PersonaId;
    if (!key || !key->Id)
        return -1;
    if (!g->MemberCorrelationKey &&
        !(g->MemberCorrelationKey = soap_new_t__NonEmptyArrayOfItemIdsType(soap, 1)))
        return -1;
    size_t n = member_count(g);
    struct t__ItemIdType *a = soap_new_t__ItemIdType(soap, (int)n + 1);
    if (!a)
        return -1;
    if (n)
        memcpy(a, g->MemberCorrelationKey->ItemId, n * sizeof *a);
    a[n] = *key;
    g->MemberCorrelationKey->ItemId = a;
    g->MemberCorrelationKey->__sizeItemId = (int)n + 1;
    return 0;
}

size_t group_remove_member(struct t__ImGroupType *g, const struct t__PersonaType *p)
{
    size_t n = member_count(g), kept = 0;
    for (size_t i = 0; i < n; i++)
        if (!persona_named(p, g->MemberCorrelationKey->ItemId[i].Id))
            g->MemberCorrelationKey->ItemId[kept++] = g->MemberCorrelationKey->ItemId[i];
    if (!n)
        return 0;
    /* The schema wants at least one ItemId: an emptied key goes. */
    if (kept == 0)
        g->MemberCorrelationKey = NULL;
    else
        g->MemberCorrelationKey->__sizeItemId = (int)kept;
    return n - kept;
}
