/* ews_imlist accessors. */
#include <stdlib.h>

#include "soapH.h"
#include "imlist/imlist.h"

void ews_imlist_free(ews_imlist *l)
{
    if (!l)
        return;
    ews_response_free(l->response);
    ews_arena_free(&l->arena);
    free(l);
}

const ews_server_version *ews_imlist_server_version(const ews_imlist *l)
{
    return l ? ews_response_server_version(l->response) : NULL;
}

const ews_error *ews_imlist_warning(const ews_imlist *l)
{
    return l ? ews_response_warning(l->response) : NULL;
}

size_t ews_imlist_group_count(const ews_imlist *l)
{
    return l ? l->group_count : 0;
}

const ews_im_group *ews_imlist_group(const ews_imlist *l, size_t i)
{
    return l && i < l->group_count ? &l->groups[i] : NULL;
}

size_t ews_imlist_persona_count(const ews_imlist *l)
{
    return l ? l->persona_count : 0;
}

const ews_persona *ews_imlist_persona(const ews_imlist *l, size_t i)
{
    return l && i < l->persona_count ? &l->personas[i] : NULL;
}

const ews_persona *ews_imlist_find_persona(const ews_imlist *l, const char *persona_id)
{
    if (!l || !persona_id)
        return NULL;
    size_t i = ews_imlist_index_lookup(&l->by_persona_id, persona_id);
    return i == SIZE_MAX ? NULL : &l->personas[i];
}

const void *ews_imlist_generated(const ews_imlist *l)
{
    return l ? l->resp : NULL;
}

/* ---- groups ---- */

const char *ews_im_group_display_name(const ews_im_group *g)
{
    return g ? g->raw->DisplayName : NULL;
}

ews_im_group_type ews_im_group_type_of(const ews_im_group *g)
{
    return g ? g->type : EWS_IM_GROUP_UNKNOWN;
}

const char *ews_im_group_type_raw(const ews_im_group *g)
{
    return g ? g->raw->GroupType : NULL;
}

const char *ews_im_group_type_name(ews_im_group_type t)
{
    switch (t) {
    case EWS_IM_GROUP_OTHER_CONTACTS: return "other_contacts";
    case EWS_IM_GROUP_TAGGED: return "tagged";
    case EWS_IM_GROUP_FAVORITES: return "favorites";
    case EWS_IM_GROUP_USER_GROUP: return "user_group";
    case EWS_IM_GROUP_DL: return "distribution_group";
    case EWS_IM_GROUP_UNKNOWN: break;
    }
    return "unknown";
}

ews_item_id ews_im_group_store_id(const ews_im_group *g)
{
    ews_item_id r = { NULL, NULL };
    if (g && g->raw->ExchangeStoreId) {
        r.id = g->raw->ExchangeStoreId->Id;
        r.change_key = g->raw->ExchangeStoreId->ChangeKey;
    }
    return r;
}

const char *ews_im_group_smtp_address(const ews_im_group *g)
{
    return g ? g->raw->SmtpAddress : NULL;
}

size_t ews_im_group_member_count(const ews_im_group *g)
{
    if (!g || !g->raw->MemberCorrelationKey || g->raw->MemberCorrelationKey->__sizeItemId < 0)
        return 0;
    return (size_t)g->raw->MemberCorrelationKey->__sizeItemId;
}

ews_item_id ews_im_group_member(const ews_im_group *g, size_t i)
{
    ews_item_id r = { NULL, NULL };
    if (i < ews_im_group_member_count(g)) {
        r.id = g->raw->MemberCorrelationKey->ItemId[i].Id;
        r.change_key = g->raw->MemberCorrelationKey->ItemId[i].ChangeKey;
    }
    return r;
}

size_t ews_im_group_persona_count(const ews_im_group *g)
{
    return g ? g->persona_count : 0;
}

size_t ews_im_group_unmatched_member_count(const ews_im_group *g)
{
    return g ? g->unmatched_count : 0;
}

const ews_persona *ews_im_group_persona(const ews_im_group *g, size_t i)
{
    return g && i < g->persona_count ? g->personas[i] : NULL;
}

/* ---- personas ---- */

#define PERSONA_STRING(fn, member)                   \
    const char *fn(const ews_persona *p)             \
    {                                                \
        return p ? p->raw->member : NULL;            \
    }

const char *ews_persona_id(const ews_persona *p)
{
    return p && p->raw->PersonaId ? p->raw->PersonaId->Id : NULL;
}

PERSONA_STRING(ews_persona_type, PersonaType)
PERSONA_STRING(ews_persona_creation_time, CreationTime)
PERSONA_STRING(ews_persona_display_name, DisplayName)
PERSONA_STRING(ews_persona_display_name_first_last, DisplayNameFirstLast)
PERSONA_STRING(ews_persona_display_name_last_first, DisplayNameLastFirst)
PERSONA_STRING(ews_persona_given_name, GivenName)
PERSONA_STRING(ews_persona_surname, Surname)
PERSONA_STRING(ews_persona_file_as, FileAs)
PERSONA_STRING(ews_persona_file_as_id, FileAsId)
PERSONA_STRING(ews_persona_company_name, CompanyName)

const ews_email_address *ews_persona_email(const ews_persona *p)
{
    return p && p->has_primary ? &p->primary : NULL;
}

size_t ews_persona_email_count(const ews_persona *p)
{
    return p ? p->email_count : 0;
}

const ews_email_address *ews_persona_email_at(const ews_persona *p, size_t i)
{
    return p && i < p->email_count ? &p->emails[i] : NULL;
}

size_t ews_persona_im_address_count(const ews_persona *p)
{
    return p ? p->im_count : 0;
}

const char *ews_persona_im_address(const ews_persona *p, size_t i)
{
    return p && i < p->im_count ? p->ims[i] : NULL;
}

size_t ews_persona_phone_count(const ews_persona *p)
{
    return p ? p->phone_count : 0;
}

const ews_phone *ews_persona_phone(const ews_persona *p, size_t i)
{
    return p && i < p->phone_count ? &p->phones[i] : NULL;
}

int ews_persona_relevance_score(const ews_persona *p, int *score)
{
    if (!p || !score)
        return EWS_EINVAL;
    if (!p->raw->RelevanceScore)
        return EWS_ENOTFOUND;
    *score = *p->raw->RelevanceScore;
    return 0;
}

size_t ews_persona_attribution_count(const ews_persona *p)
{
    return p ? p->attribution_count : 0;
}

const ews_attribution *ews_persona_attribution(const ews_persona *p, size_t i)
{
    return p && i < p->attribution_count ? &p->attributions[i] : NULL;
}

size_t ews_persona_attributed_count(const ews_persona *p, ews_persona_field f)
{
    return p && (unsigned)f < EWS_PF_COUNT_ ? p->attributed_count[f] : 0;
}

const ews_attributed_value *ews_persona_attributed(const ews_persona *p, ews_persona_field f,
                                                   size_t i)
{
    if (!p || (unsigned)f >= EWS_PF_COUNT_ || i >= p->attributed_count[f])
        return NULL;
    return &p->attributed[f][i];
}
