/* Look-ups and edits on a generated IM list (t__ImItemListType), the
 * vocabulary of the IM operations. Edits allocate on the soap context that
 * owns the list; removals only unlink. */
#ifndef EWS_MOCK_IMLIST_EDIT_H
#define EWS_MOCK_IMLIST_EDIT_H

#include <stddef.h>

struct soap;
struct t__ImItemListType;
struct t__ImGroupType;
struct t__PersonaType;

#define MOCK_GROUP_USER "IPM.DistList.MOC.UserGroup"
#define MOCK_GROUP_DL "IPM.DistList.MOC.DG"
#define MOCK_GROUP_OTHER_CONTACTS "IPM.DistList.MOC.OtherContacts"
/* ChangeKeys as Exchange gives its groups and contact items. */
#define MOCK_GROUP_CHANGE_KEY "EgAAAA=="
#define MOCK_CONTACT_CHANGE_KEY "EQAAAA=="

size_t imlist_group_count(const struct t__ImItemListType *l);
struct t__ImGroupType *imlist_group(const struct t__ImItemListType *l, size_t i);
size_t imlist_persona_count(const struct t__ImItemListType *l);
struct t__PersonaType *imlist_persona(const struct t__ImItemListType *l, size_t i);

/* By ExchangeStoreId/@Id. */
struct t__ImGroupType *imlist_find_group(const struct t__ImItemListType *l, const char *id);
/* By DisplayName, ignoring ASCII case as Exchange does; skipping `except`. */
struct t__ImGroupType *imlist_find_group_named(const struct t__ImItemListType *l,
                                               const char *name,
                                               const struct t__ImGroupType *except);
struct t__ImGroupType *imlist_find_group_of_type(const struct t__ImItemListType *l,
                                                 const char *group_type);
struct t__ImGroupType *imlist_find_dl(const struct t__ImItemListType *l, const char *smtp);
int imlist_group_is(const struct t__ImGroupType *g, const char *group_type);

/* The group a contact is put in: the one whose ExchangeStoreId is id, or
 * for id NULL the Other Contacts group (*out NULL when the list has none).
 * -1 when id names no group that holds contacts (none, or a distribution
 * group). */
int imlist_contact_group(const struct t__ImItemListType *l, const char *id,
                         struct t__ImGroupType **out);

/* A contact is named by its PersonaId or by the id of one of its contact
 * items (an attribution's SourceId, which is what group members hold). */
struct t__PersonaType *imlist_find_contact(const struct t__ImItemListType *l, const char *id);
struct t__PersonaType *imlist_find_im_address(const struct t__ImItemListType *l,
                                              const char *address);
/* Whether any group, persona or contact item already has this id. */
int imlist_id_in_use(const struct t__ImItemListType *l, const char *id);

/* 0, or -1 when out of memory. */
int imlist_add_group(struct soap *soap, struct t__ImItemListType *l, struct t__ImGroupType *g);
void imlist_remove_group(struct t__ImItemListType *l, const struct t__ImGroupType *g);
int imlist_add_persona(struct soap *soap, struct t__ImItemListType *l,
                       struct t__PersonaType *p);
/* From the personas and from every group. */
void imlist_remove_persona(struct t__ImItemListType *l, const struct t__PersonaType *p);

int group_has_member(const struct t__ImGroupType *g, const struct t__PersonaType *p);
/* Adds p's contact item to g's MemberCorrelationKey. 0, or -1 when out of
 * memory. */
int group_add_member(struct soap *soap, struct t__ImGroupType *g, const struct t__PersonaType *p);
/* Returns how many member entries named p. */
size_t group_remove_member(struct t__ImGroupType *g, const struct t__PersonaType *p);

#endif
