/* Builds the accessor view of IM groups and personas: one pass over the
 * generated structures, plus hash look-ups for the persona-id index and the
 * group-member join, so the whole build is linear in the list's size. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "soapH.h"
#include "imlist/imlist.h"
#include "core/strhash.h"

/* ---- string -> index table ------------------------------------------- */

/* Keyed per process (strhash.h): ids come from the server, and with a
 * public hash a server could send ids that all land on one probe chain. */
static uint64_t hash_str(const char *s)
{
    return ews_str_hash(s);
}

static int index_init(ews_arena *a, ews_str_index *ix, size_t n)
{
    size_t cap = 8;
    while (cap < n * 2) {
        if (cap > SIZE_MAX / 4)
            return EWS_ENOMEM;
        cap *= 2;
    }
    ix->keys = ews_arena_calloc(a, cap, sizeof *ix->keys);
    ix->values = ews_arena_calloc(a, cap, sizeof *ix->values);
    if (!ix->keys || !ix->values)
        return EWS_ENOMEM;
    ix->mask = cap - 1;
    return 0;
}

/* The first value put under a key wins. */
static void index_put(ews_str_index *ix, const char *key, size_t value)
{
    if (!key || !ix->keys)
        return;
    for (size_t i = hash_str(key) & ix->mask;; i = (i + 1) & ix->mask) {
        if (!ix->keys[i]) {
            ix->keys[i] = key;
            ix->values[i] = value;
            return;
        }
        if (strcmp(ix->keys[i], key) == 0)
            return;
    }
}

static size_t index_get(const ews_str_index *ix, const char *key)
{
    if (!key || !ix->keys)
        return SIZE_MAX;
    for (size_t i = hash_str(key) & ix->mask;; i = (i + 1) & ix->mask) {
        if (!ix->keys[i])
            return SIZE_MAX;
        if (strcmp(ix->keys[i], key) == 0)
            return ix->values[i];
    }
}

size_t ews_imlist_index_lookup(const ews_str_index *ix, const char *key)
{
    return index_get(ix, key);
}

/* ---- attributed fields ------------------------------------------------ */

enum value_kind { KIND_STRING, KIND_PHONE, KIND_EMAIL };

static const struct {
    size_t offset;
    enum value_kind kind;
} field_table[EWS_PF_COUNT_] = {
#define F(name, member, kind) [name] = { offsetof(struct t__PersonaType, member), kind }
    F(EWS_PF_DISPLAY_NAMES, DisplayNames, KIND_STRING),
    F(EWS_PF_FILE_ASES, FileAses, KIND_STRING),
    F(EWS_PF_FILE_AS_IDS, FileAsIds, KIND_STRING),
    F(EWS_PF_GIVEN_NAMES, GivenNames, KIND_STRING),
    F(EWS_PF_SURNAMES, Surnames, KIND_STRING),
    F(EWS_PF_NICKNAMES, Nicknames, KIND_STRING),
    F(EWS_PF_TITLES, Titles, KIND_STRING),
    F(EWS_PF_DEPARTMENTS, Departments, KIND_STRING),
    F(EWS_PF_COMPANY_NAMES, CompanyNames, KIND_STRING),
    F(EWS_PF_IM_ADDRESSES, ImAddresses, KIND_STRING),
    F(EWS_PF_IM_ADDRESSES2, ImAddresses2, KIND_STRING),
    F(EWS_PF_IM_ADDRESSES3, ImAddresses3, KIND_STRING),
    F(EWS_PF_EMAILS1, Emails1, KIND_EMAIL),
    F(EWS_PF_EMAILS2, Emails2, KIND_EMAIL),
    F(EWS_PF_EMAILS3, Emails3, KIND_EMAIL),
    F(EWS_PF_BUSINESS_PHONES, BusinessPhoneNumbers, KIND_PHONE),
    F(EWS_PF_BUSINESS_PHONES2, BusinessPhoneNumbers2, KIND_PHONE),
    F(EWS_PF_HOME_PHONES, HomePhones, KIND_PHONE),
    F(EWS_PF_HOME_PHONES2, HomePhones2, KIND_PHONE),
    F(EWS_PF_MOBILE_PHONES, MobilePhones, KIND_PHONE),
    F(EWS_PF_MOBILE_PHONES2, MobilePhones2, KIND_PHONE),
    F(EWS_PF_OTHER_TELEPHONES, OtherTelephones, KIND_PHONE),
    F(EWS_PF_HOME_FAXES, HomeFaxes, KIND_PHONE),
    F(EWS_PF_WORK_FAXES, WorkFaxes, KIND_PHONE),
    F(EWS_PF_PAGERS, Pagers, KIND_PHONE),
#undef F
};

static const void *member_at(const struct t__PersonaType *p, size_t offset)
{
    const void *v;
    memcpy(&v, (const char *)p + offset, sizeof v);
    return v;
}

static size_t field_size(const struct t__PersonaType *p, int f)
{
    const void *arr = member_at(p, field_table[f].offset);
    if (!arr)
        return 0;
    int n = 0;
    switch (field_table[f].kind) {
    case KIND_STRING: n = ((const struct t__ArrayOfStringAttributedValuesType *)arr)->__sizeStringAttributedValue; break;
    case KIND_PHONE: n = ((const struct t__ArrayOfPhoneNumberAttributedValuesType *)arr)->__sizePhoneNumberAttributedValue; break;
    case KIND_EMAIL: n = ((const struct t__ArrayOfEmailAddressAttributedValuesType *)arr)->__sizeEmailAddressAttributedValue; break;
    }
    return n > 0 ? (size_t)n : 0;
}

static int bool_of(const enum xsd__boolean *b)
{
    return b ? (*b == xsd__boolean__true_) : -1;
}

static ews_item_id item_id(const struct t__ItemIdType *id)
{
    ews_item_id r = { NULL, NULL };
    if (id) {
        r.id = id->Id;
        r.change_key = id->ChangeKey;
    }
    return r;
}

static ews_item_id folder_id(const struct t__FolderIdType *id)
{
    ews_item_id r = { NULL, NULL };
    if (id) {
        r.id = id->Id;
        r.change_key = id->ChangeKey;
    }
    return r;
}

static ews_email_address email_of(const struct t__EmailAddressType *e)
{
    ews_email_address r = { e->Name, e->EmailAddress ? e->EmailAddress : e->Address,
                            e->RoutingType, e->MailboxType };
    return r;
}

/* ---- one persona ------------------------------------------------------ */

static int build_attributed(ews_arena *a, ews_persona *ps, int f)
{
    const struct t__PersonaType *p = ps->raw;
    size_t n = field_size(p, f);
    ps->attributed_count[f] = n;
    if (!n)
        return 0;
    ews_attributed_value *vals = ews_arena_calloc(a, n, sizeof *vals);
    if (!vals)
        return EWS_ENOMEM;
    const void *arr = member_at(p, field_table[f].offset);
    for (size_t i = 0; i < n; i++) {
        const struct t__ArrayOfValueAttributionsType *attr = NULL;
        switch (field_table[f].kind) {
        case KIND_STRING: {
            const struct t__StringAttributedValueType *v =
                &((const struct t__ArrayOfStringAttributedValuesType *)arr)->StringAttributedValue[i];
            vals[i].string = v->Value;
            attr = v->Attributions;
            break;
        }
        case KIND_PHONE: {
            const struct t__PhoneNumberAttributedValueType *v =
                &((const struct t__ArrayOfPhoneNumberAttributedValuesType *)arr)->PhoneNumberAttributedValue[i];
            if (v->Value) {
                ews_phone *ph = ews_arena_calloc(a, 1, sizeof *ph);
                if (!ph)
                    return EWS_ENOMEM;
                ph->number = v->Value->Number;
                ph->type = v->Value->Type;
                vals[i].phone = ph;
            }
            attr = v->Attributions;
            break;
        }
        case KIND_EMAIL: {
            const struct t__EmailAddressAttributedValueType *v =
                &((const struct t__ArrayOfEmailAddressAttributedValuesType *)arr)->EmailAddressAttributedValue[i];
            if (v->Value) {
                ews_email_address *em = ews_arena_calloc(a, 1, sizeof *em);
                if (!em)
                    return EWS_ENOMEM;
                *em = email_of(v->Value);
                vals[i].email = em;
            }
            attr = v->Attributions;
            break;
        }
        }
        size_t ac = attr && attr->__sizeAttribution > 0 ? (size_t)attr->__sizeAttribution : 0;
        vals[i].attribution_count = ac;
        if (ac) {
            vals[i].attribution_ids = (const char *const *)attr->Attribution;
            size_t *idx = ews_arena_calloc(a, ac, sizeof *idx);
            if (!idx)
                return EWS_ENOMEM;
            for (size_t k = 0; k < ac; k++) {
                idx[k] = SIZE_MAX;
                const char *want = attr->Attribution[k];
                for (size_t j = 0; want && j < ps->attribution_count; j++)
                    if (ps->attributions[j].id && strcmp(ps->attributions[j].id, want) == 0) {
                        idx[k] = j;
                        break;
                    }
            }
            vals[i].attribution_index = idx;
        }
    }
    ps->attributed[f] = vals;
    return 0;
}

static int contains(const char **list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

static int build_persona(ews_arena *a, ews_persona *ps)
{
    const struct t__PersonaType *p = ps->raw;
    if (p->EmailAddress) {
        ps->primary = email_of(p->EmailAddress);
        ps->has_primary = 1;
    }

    const struct t__ArrayOfEmailAddressesType *all = p->EmailAddresses;
    if (all) {
        size_t n1 = all->__sizeAddress > 0 ? (size_t)all->__sizeAddress : 0;
        size_t n2 = all->__sizeEmailAddress > 0 ? (size_t)all->__sizeEmailAddress : 0;
        if (n1 + n2) {
            ps->emails = ews_arena_calloc(a, n1 + n2, sizeof *ps->emails);
            if (!ps->emails)
                return EWS_ENOMEM;
            for (size_t i = 0; i < n1; i++)
                ps->emails[ps->email_count++] = email_of(&all->Address[i]);
            for (size_t i = 0; i < n2; i++)
                ps->emails[ps->email_count++] = email_of(&all->EmailAddress[i]);
        }
    }

    if (p->Attributions && p->Attributions->__sizeAttribution > 0) {
        size_t n = (size_t)p->Attributions->__sizeAttribution;
        ps->attributions = ews_arena_calloc(a, n, sizeof *ps->attributions);
        if (!ps->attributions)
            return EWS_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            const struct t__PersonaAttributionType *s = &p->Attributions->Attribution[i];
            ews_attribution *d = &ps->attributions[i];
            d->id = s->Id;
            d->source_id = item_id(s->SourceId);
            d->display_name = s->DisplayName;
            d->is_writable = bool_of(s->IsWritable);
            d->is_quick_contact = bool_of(s->IsQuickContact);
            d->is_hidden = bool_of(s->IsHidden);
            d->folder_id = folder_id(s->FolderId);
        }
        ps->attribution_count = n;
    }

    size_t phones = p->PhoneNumber ? 1 : 0, ims = p->ImAddress ? 1 : 0;
    for (int f = 0; f < EWS_PF_COUNT_; f++) {
        int rc = build_attributed(a, ps, f);
        if (rc)
            return rc;
        if (field_table[f].kind == KIND_PHONE)
            phones += ps->attributed_count[f];
        if (f == EWS_PF_IM_ADDRESSES || f == EWS_PF_IM_ADDRESSES2 || f == EWS_PF_IM_ADDRESSES3)
            ims += ps->attributed_count[f];
    }

    if (phones) {
        ps->phones = ews_arena_calloc(a, phones, sizeof *ps->phones);
        if (!ps->phones)
            return EWS_ENOMEM;
        if (p->PhoneNumber) {
            ps->phones[ps->phone_count].number = p->PhoneNumber->Number;
            ps->phones[ps->phone_count++].type = p->PhoneNumber->Type;
        }
        for (int f = 0; f < EWS_PF_COUNT_; f++) {
            if (field_table[f].kind != KIND_PHONE)
                continue;
            for (size_t i = 0; i < ps->attributed_count[f]; i++)
                if (ps->attributed[f][i].phone)
                    ps->phones[ps->phone_count++] = *ps->attributed[f][i].phone;
        }
    }

    if (ims) {
        ps->ims = ews_arena_calloc(a, ims, sizeof *ps->ims);
        if (!ps->ims)
            return EWS_ENOMEM;
        static const int im_fields[] = { EWS_PF_IM_ADDRESSES, EWS_PF_IM_ADDRESSES2, EWS_PF_IM_ADDRESSES3 };
        for (size_t k = 0; k < sizeof im_fields / sizeof im_fields[0]; k++) {
            int f = im_fields[k];
            for (size_t i = 0; i < ps->attributed_count[f]; i++) {
                const char *s = ps->attributed[f][i].string;
                if (s && !contains(ps->ims, ps->im_count, s))
                    ps->ims[ps->im_count++] = s;
            }
        }
        if (p->ImAddress && !contains(ps->ims, ps->im_count, p->ImAddress))
            ps->ims[ps->im_count++] = p->ImAddress;
    }
    return 0;
}

/* ---- groups and joins ------------------------------------------------- */

static ews_im_group_type group_type_of(const char *s)
{
    static const struct {
        const char *name;
        ews_im_group_type type;
    } types[] = {
        { "IPM.DistList.MOC.OtherContacts", EWS_IM_GROUP_OTHER_CONTACTS },
        { "IPM.DistList.MOC.Tagged", EWS_IM_GROUP_TAGGED },
        { "IPM.DistList.MOC.Favorites", EWS_IM_GROUP_FAVORITES },
        { "IPM.DistList.MOC.UserGroup", EWS_IM_GROUP_USER_GROUP },
        { "IPM.DistList.MOC.DG", EWS_IM_GROUP_DL },
    };
    for (size_t i = 0; s && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(types[i].name, s) == 0)
            return types[i].type;
    return EWS_IM_GROUP_UNKNOWN;
}

static int join_group(ews_arena *a, ews_imlist *l, size_t gi, const ews_str_index *by_source)
{
    ews_im_group *g = &l->groups[gi];
    const struct t__NonEmptyArrayOfItemIdsType *m = g->raw->MemberCorrelationKey;
    size_t n = m && m->__sizeItemId > 0 ? (size_t)m->__sizeItemId : 0;
    if (!n)
        return 0;
    g->personas = ews_arena_calloc(a, n, sizeof *g->personas);
    if (!g->personas)
        return EWS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t pi = index_get(by_source, m->ItemId[i].Id);
        g->unmatched_count += pi == SIZE_MAX;
        if (pi == SIZE_MAX || l->personas[pi].join_stamp == gi + 1)
            continue;
        l->personas[pi].join_stamp = gi + 1;
        g->personas[g->persona_count++] = &l->personas[pi];
    }
    return 0;
}

int ews_imlist_build_index(ews_imlist *l)
{
    ews_arena *a = &l->arena;
    const struct t__ArrayOfImGroupType *groups = l->groups_in;
    const struct t__ArrayOfPeopleType *people = l->people_in;
    int rc;

    size_t np = 0, ng = 0;
    if (people)
        for (int i = 0; i < people->__size_ArrayOfPeopleType; i++)
            np += people->__union_ArrayOfPeopleType[i].Persona != NULL;
    if (groups)
        for (int i = 0; i < groups->__size_ArrayOfImGroupType; i++)
            ng += groups->__union_ArrayOfImGroupType[i].ImGroup != NULL;

    if (np && !(l->personas = ews_arena_calloc(a, np, sizeof *l->personas)))
        return EWS_ENOMEM;
    if (ng && !(l->groups = ews_arena_calloc(a, ng, sizeof *l->groups)))
        return EWS_ENOMEM;

    size_t attributions = 0;
    for (int i = 0; people && i < people->__size_ArrayOfPeopleType; i++) {
        const struct t__PersonaType *p = people->__union_ArrayOfPeopleType[i].Persona;
        if (!p)
            continue;
        ews_persona *ps = &l->personas[l->persona_count++];
        ps->raw = p;
        if ((rc = build_persona(a, ps)))
            return rc;
        attributions += ps->attribution_count;
    }

    if ((rc = index_init(a, &l->by_persona_id, l->persona_count)))
        return rc;
    ews_str_index by_source = { 0, NULL, NULL };
    if ((rc = index_init(a, &by_source, attributions)))
        return rc;
    for (size_t i = 0; i < l->persona_count; i++) {
        const ews_persona *ps = &l->personas[i];
        index_put(&l->by_persona_id, ps->raw->PersonaId ? ps->raw->PersonaId->Id : NULL, i);
        for (size_t k = 0; k < ps->attribution_count; k++)
            index_put(&by_source, ps->attributions[k].source_id.id, i);
    }

    for (int i = 0; groups && i < groups->__size_ArrayOfImGroupType; i++) {
        const struct t__ImGroupType *g = groups->__union_ArrayOfImGroupType[i].ImGroup;
        if (!g)
            continue;
        size_t gi = l->group_count++;
        l->groups[gi].raw = g;
        l->groups[gi].type = group_type_of(g->GroupType);
        if ((rc = join_group(a, l, gi, &by_source)))
            return rc;
    }
    return 0;
}
