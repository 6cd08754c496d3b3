/* ews-c: the result of GetImItemList - a mailbox's IM groups and the contact
 * Personas in them.
 *
 * One ews_imlist owns all of its memory. Every pointer an accessor returns
 * is borrowed: valid until ews_imlist_free() of the list it came from.
 * Accessors accept NULL objects and out-of-range indexes and then return
 * NULL / 0 / an empty ews_item_id.
 */
#ifndef EWS_IMLIST_H
#define EWS_IMLIST_H

#include "common.h"
#include "errors.h"

typedef struct ews_imlist ews_imlist;
typedef struct ews_im_group ews_im_group;
typedef struct ews_persona ews_persona;

/* An Exchange store id; both members NULL when absent. */
typedef struct ews_item_id {
    const char *id;
    const char *change_key;
} ews_item_id;

typedef enum ews_im_group_type {
    EWS_IM_GROUP_UNKNOWN = 0,     /* a type this library does not know: see _raw */
    EWS_IM_GROUP_OTHER_CONTACTS,  /* IPM.DistList.MOC.OtherContacts */
    EWS_IM_GROUP_TAGGED,          /* IPM.DistList.MOC.Tagged */
    EWS_IM_GROUP_FAVORITES,       /* IPM.DistList.MOC.Favorites */
    EWS_IM_GROUP_USER_GROUP,      /* IPM.DistList.MOC.UserGroup */
    EWS_IM_GROUP_DL               /* IPM.DistList.MOC.DG (distribution group) */
} ews_im_group_type;

typedef struct ews_email_address {
    const char *name;
    const char *address;
    const char *routing_type;
    const char *mailbox_type;
} ews_email_address;

typedef struct ews_phone {
    const char *number;
    const char *type;
} ews_phone;

/* A source a persona's data comes from (an Outlook contact, the GAL, ...). */
typedef struct ews_attribution {
    const char *id;              /* referenced by ews_attributed_value */
    ews_item_id source_id;       /* the contact item; joins with group members */
    const char *display_name;
    int is_writable;             /* 1, 0, or -1 when absent */
    int is_quick_contact;        /* 1, 0, or -1 when absent */
    int is_hidden;               /* 1, 0, or -1 when absent */
    ews_item_id folder_id;
} ews_attribution;

/* The persona fields that carry per-source (attributed) values. */
typedef enum ews_persona_field {
    EWS_PF_DISPLAY_NAMES = 0,
    EWS_PF_FILE_ASES,
    EWS_PF_FILE_AS_IDS,
    EWS_PF_GIVEN_NAMES,
    EWS_PF_SURNAMES,
    EWS_PF_NICKNAMES,
    EWS_PF_TITLES,
    EWS_PF_DEPARTMENTS,
    EWS_PF_COMPANY_NAMES,
    EWS_PF_IM_ADDRESSES,
    EWS_PF_IM_ADDRESSES2,
    EWS_PF_IM_ADDRESSES3,
    EWS_PF_EMAILS1,
    EWS_PF_EMAILS2,
    EWS_PF_EMAILS3,
    EWS_PF_BUSINESS_PHONES,
    EWS_PF_BUSINESS_PHONES2,
    EWS_PF_HOME_PHONES,
    EWS_PF_HOME_PHONES2,
    EWS_PF_MOBILE_PHONES,
    EWS_PF_MOBILE_PHONES2,
    EWS_PF_OTHER_TELEPHONES,
    EWS_PF_HOME_FAXES,
    EWS_PF_WORK_FAXES,
    EWS_PF_PAGERS,
    EWS_PF_COUNT_
} ews_persona_field;

/* One attributed value. Exactly one of string/phone/email is set, by field. */
typedef struct ews_attributed_value {
    const char *string;                 /* name, IM and other string fields */
    const ews_phone *phone;             /* *_PHONES, *_FAXES, PAGERS */
    const ews_email_address *email;     /* EMAILS1..3 */
    size_t attribution_count;
    const char *const *attribution_ids; /* as on the wire */
    /* index into ews_persona_attribution(); SIZE_MAX where an id names no
     * attribution of this persona */
    const size_t *attribution_index;
} ews_attributed_value;

typedef struct ews_server_version {
    int major_version, minor_version, major_build, minor_build; /* -1 when absent */
    const char *version;                                        /* e.g. "Exchange2013" */
} ews_server_version;

EWS_BEGIN_DECLS

EWS_API void ews_imlist_free(ews_imlist *list);

/* ServerVersionInfo of the response, NULL when the server sent none. */
EWS_API const ews_server_version *ews_imlist_server_version(const ews_imlist *list);
/* Non-NULL when the server answered ResponseClass="Warning": the data is
 * there, and this says what the server warned about. */
EWS_API const ews_error *ews_imlist_warning(const ews_imlist *list);

EWS_API size_t ews_imlist_group_count(const ews_imlist *list);
EWS_API const ews_im_group *ews_imlist_group(const ews_imlist *list, size_t index);
EWS_API size_t ews_imlist_persona_count(const ews_imlist *list);
EWS_API const ews_persona *ews_imlist_persona(const ews_imlist *list, size_t index);
/* Look-up by PersonaId/@Id through an index built with the list. */
EWS_API const ews_persona *ews_imlist_find_persona(const ews_imlist *list, const char *persona_id);

/* Escape hatch: the generated gSOAP response message the list was parsed
 * from: for GetImItemList a `const struct m__GetImItemListResponseMessageType *`,
 * for the operations of imops.h their own <Operation>ResponseMessageType.
 * Its layout is tied to
 * gSOAP 2.8.124 and to the schema fragments the library was built from; use
 * it only for fields the accessors do not cover. Borrowed. */
EWS_API const void *ews_imlist_generated(const ews_imlist *list);

/* Groups */
EWS_API const char *ews_im_group_display_name(const ews_im_group *group);
EWS_API ews_im_group_type ews_im_group_type_of(const ews_im_group *group);
EWS_API const char *ews_im_group_type_raw(const ews_im_group *group);
EWS_API const char *ews_im_group_type_name(ews_im_group_type type); /* static */
EWS_API ews_item_id ews_im_group_store_id(const ews_im_group *group);
EWS_API const char *ews_im_group_smtp_address(const ews_im_group *group);
/* MemberCorrelationKey/ItemId */
EWS_API size_t ews_im_group_member_count(const ews_im_group *group);
EWS_API ews_item_id ews_im_group_member(const ews_im_group *group, size_t index);
/* The personas of the group: those with an attribution whose SourceId/@Id
 * equals a member ItemId/@Id, in member order, each once. */
EWS_API size_t ews_im_group_persona_count(const ews_im_group *group);
EWS_API const ews_persona *ews_im_group_persona(const ews_im_group *group, size_t index);
/* Members (ItemIds, duplicates counted) whose Id no attribution's
 * SourceId/@Id equals: a contact deleted under a stale group, or ids the
 * server shortened. Counted during the same join, in linear time. */
EWS_API size_t ews_im_group_unmatched_member_count(const ews_im_group *group);

/* Personas */
EWS_API const char *ews_persona_id(const ews_persona *persona);
EWS_API const char *ews_persona_type(const ews_persona *persona);
/* CreationTime exactly as on the wire (xs:dateTime), e.g. "2012-01-12T22:14:36Z" */
EWS_API const char *ews_persona_creation_time(const ews_persona *persona);
EWS_API const char *ews_persona_display_name(const ews_persona *persona);
EWS_API const char *ews_persona_display_name_first_last(const ews_persona *persona);
EWS_API const char *ews_persona_display_name_last_first(const ews_persona *persona);
EWS_API const char *ews_persona_given_name(const ews_persona *persona);
EWS_API const char *ews_persona_surname(const ews_persona *persona);
EWS_API const char *ews_persona_file_as(const ews_persona *persona);
EWS_API const char *ews_persona_file_as_id(const ews_persona *persona);
EWS_API const char *ews_persona_company_name(const ews_persona *persona);
/* Primary e-mail address (Persona/EmailAddress); NULL when absent. */
EWS_API const ews_email_address *ews_persona_email(const ews_persona *persona);
/* Persona/EmailAddresses, accepting the schema's Address and the
 * EmailAddress spelling real servers and Microsoft's examples use. */
EWS_API size_t ews_persona_email_count(const ews_persona *persona);
EWS_API const ews_email_address *ews_persona_email_at(const ews_persona *persona, size_t index);
/* Distinct IM addresses: ImAddresses, ImAddresses2, ImAddresses3, then
 * ImAddress if not already listed. */
EWS_API size_t ews_persona_im_address_count(const ews_persona *persona);
EWS_API const char *ews_persona_im_address(const ews_persona *persona, size_t index);
/* Every phone number: PhoneNumber, then each attributed phone field. */
EWS_API size_t ews_persona_phone_count(const ews_persona *persona);
EWS_API const ews_phone *ews_persona_phone(const ews_persona *persona, size_t index);
/* 0 and *score set, or EWS_ENOTFOUND when the response has no score. */
EWS_API int ews_persona_relevance_score(const ews_persona *persona, int *score);
EWS_API size_t ews_persona_attribution_count(const ews_persona *persona);
EWS_API const ews_attribution *ews_persona_attribution(const ews_persona *persona, size_t index);
EWS_API size_t ews_persona_attributed_count(const ews_persona *persona, ews_persona_field field);
EWS_API const ews_attributed_value *ews_persona_attributed(const ews_persona *persona,
                                                           ews_persona_field field, size_t index);

EWS_END_DECLS

#endif
