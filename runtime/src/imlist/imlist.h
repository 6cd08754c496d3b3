/* What stands behind the ews_imlist accessors. */
#ifndef EWS_IMLIST_INTERNAL_H
#define EWS_IMLIST_INTERNAL_H

#include "ews/imlist.h"
#include "soap/memory.h"
#include "core/error.h"
#include "ops/response.h"
#include "soap/context.h"

struct soap;
struct t__ArrayOfImGroupType;
struct t__ArrayOfPeopleType;
struct t__ImGroupType;
struct t__PersonaType;

struct ews_persona {
    const struct t__PersonaType *raw;
    ews_email_address primary;
    int has_primary;
    size_t email_count;
    ews_email_address *emails;
    size_t im_count;
    const char **ims;
    size_t phone_count;
    ews_phone *phones;
    size_t attribution_count;
    ews_attribution *attributions;
    size_t attributed_count[EWS_PF_COUNT_];
    ews_attributed_value *attributed[EWS_PF_COUNT_];
    size_t join_stamp; /* group index + 1 that last listed this persona */
};

struct ews_im_group {
    const struct t__ImGroupType *raw;
    ews_im_group_type type;
    size_t persona_count;
    const ews_persona **personas;
    size_t unmatched_count; /* members no attribution's SourceId names */
};

/* Open-addressing string -> persona index table. */
typedef struct ews_str_index {
    size_t mask;        /* capacity - 1; capacity a power of two */
    const char **keys;
    size_t *values;
} ews_str_index;

struct ews_imlist {
    ews_response *response; /* owns every parsed string and struct */
    struct soap *soap;      /* the response's */
    const void *resp;       /* its response element, <Op>ResponseMessageType */
    /* What the index is built from, either may be NULL: a response's own
     * arrays, or one-element arrays around the group or persona an
     * operation created. */
    const struct t__ArrayOfImGroupType *groups_in;
    const struct t__ArrayOfPeopleType *people_in;
    ews_arena arena;    /* owns the index below */
    size_t group_count;
    ews_im_group *groups;
    size_t persona_count;
    ews_persona *personas;
    ews_str_index by_persona_id;
};

/* Parses a whole GetImItemList response envelope. On 0, *out is new. */
int ews_imlist_parse(ews_imlist **out, const char *data, size_t len, const ews_limits *lim,
                     ews_err *err);
/* The same over a buffer of the caller's that it frees unread afterwards:
 * the parse gives back the pages it has passed (ews_envelope_read). */
int ews_imlist_parse_consuming(ews_imlist **out, const char *data, size_t len,
                               const ews_limits *lim, ews_err *err);

/* Builds groups, personas, joins and look-up tables from list->groups_in
 * and list->people_in. */
int ews_imlist_build_index(ews_imlist *list);

/* Index look-up; SIZE_MAX when absent. */
size_t ews_imlist_index_lookup(const ews_str_index *ix, const char *key);

/* Strict mode: names the first known schema deviation that the lenient
 * type map absorbed (see gen/typemap.dat), or returns 0. */
int ews_imlist_check_deviations(const ews_imlist *list, ews_err *err);

#endif
