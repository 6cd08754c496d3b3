/* The groups and personas the IM operations create, shaped like those in
 * the reference pages' responses. Each returns NULL when out of memory;
 * the ids are new in l. */
#ifndef EWS_MOCK_IM_NEW_H
#define EWS_MOCK_IM_NEW_H

struct soap;
struct t__ImGroupType;
struct t__ImItemListType;
struct t__PersonaType;

/* group_type: MOCK_GROUP_USER or MOCK_GROUP_DL (imlist_edit.h); smtp: the
 * distribution group's address, NULL for others. */
struct t__ImGroupType *mock_new_group(struct soap *soap, const struct t__ImItemListType *l,
                                      const char *display_name, const char *group_type,
                                      const char *smtp);
/* A contact for an IM address; display_name NULL: the address. */
struct t__PersonaType *mock_new_im_contact(struct soap *soap, const struct t__ImItemListType *l,
                                           const char *im_address, const char *display_name);
/* A contact for a telephone number, as Lync keeps one. */
struct t__PersonaType *mock_new_tel_contact(struct soap *soap, const struct t__ImItemListType *l,
                                            const char *number);

#endif
