/* GetImItems: chosen contacts and groups of the IM list. */
#include <limits.h>
#include <stdlib.h>

#include "imlist/op_im_common.h"

static int check_ids(const ews_operation *op, const char *element, const ews_item_id *ids,
                     size_t n, ews_err *err)
{
    if (n && !ids)
        return ews_err_set(err, EWS_EINVAL, "%s: %zu %s but no array", op->name, n, element);
    if (n > INT_MAX)
        return ews_err_set(err, EWS_EINVAL, "%s: too many %s (%zu)", op->name, element, n);
    for (size_t i = 0; i < n; i++) {
        int rc = ews_im_check_id(op, element, &ids[i], 1, err);
        if (rc)
            return rc;
    }
    return 0;
}

static int check_args(const ews_operation *op, const ews_im_args *a, ews_err *err)
{
    int rc = check_ids(op, "ContactIds", a->contact_ids, a->contact_count, err);
    if (!rc)
        rc = check_ids(op, "GroupIds", a->group_ids, a->group_count, err);
    if (rc)
        return rc;
    if (a->extended_count && !a->extended_properties)
        return ews_err_set(err, EWS_EINVAL, "%s: %zu ExtendedProperties but no array", op->name,
                           a->extended_count);
    if (a->extended_count > INT_MAX)
        return ews_err_set(err, EWS_EINVAL, "%s: too many ExtendedProperties", op->name);
    for (size_t i = 0; i < a->extended_count; i++) {
        const ews_extended_field *f = &a->extended_properties[i];
        rc = ews_im_check_text(op, "ExtendedFieldURI/@PropertyTag", f->property_tag, 1, err);
        if (!rc)
            rc = ews_im_check_text(op, "ExtendedFieldURI/@PropertyType", f->property_type, 1,
                                   err);
        if (rc)
            return rc;
    }
    return 0;
}

/* The generated arrays: one choice struct per id, pointing at its
 * t:ItemIdType; all of it freed after serialization. */
typedef struct id_array {
    struct t__NonEmptyArrayOfBaseItemIdsType array;
    struct __t__union_NonEmptyArrayOfBaseItemIdsType *choices;
    struct t__ItemIdType *ids;
} id_array;

static int id_array_fill(id_array *d, const ews_item_id *ids, size_t n)
{
    d->choices = calloc(n, sizeof *d->choices);
    d->ids = calloc(n, sizeof *d->ids);
    if (!d->choices || !d->ids)
        return EWS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        d->ids[i] = ews_im_item_id(&ids[i]);
        d->choices[i].ItemId = &d->ids[i];
    }
    d->array.__size_NonEmptyArrayOfBaseItemIdsType = (int)n;
    d->array.__union_NonEmptyArrayOfBaseItemIdsType = d->choices;
    return 0;
}

static void id_array_free(id_array *d)
{
    free(d->choices);
    free(d->ids);
}

typedef struct field_array {
    struct t__NonEmptyArrayOfExtendedFieldURIs array;
    struct __t__union_NonEmptyArrayOfExtendedFieldURIs *choices;
    struct t__PathToExtendedFieldType *paths;
} field_array;

static int field_array_fill(field_array *d, const ews_extended_field *f, size_t n)
{
    d->choices = calloc(n, sizeof *d->choices);
    d->paths = calloc(n, sizeof *d->paths);
    if (!d->choices || !d->paths)
        return EWS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        d->paths[i].PropertyTag = ews_im_wire(f[i].property_tag);
        d->paths[i].PropertyType = ews_im_wire(f[i].property_type);
        d->choices[i].ExtendedProperty = &d->paths[i];
    }
    d->array.__size_NonEmptyArrayOfExtendedFieldURIs = (int)n;
    d->array.__union_NonEmptyArrayOfExtendedFieldURIs = d->choices;
    return 0;
}

static int request_get_im_items(const ews_im_args *a, ews_im_send_fn send, void *ctx, ews_err *err)
{
    const ews_operation *op = &ews_op_GetImItems.op;
    int rc = check_args(op, a, err);
    if (rc)
        return rc;

    id_array contacts = { 0 }, groups = { 0 };
    field_array fields = { 0 };
    struct m__GetImItemsType req = { 0 };
    /* Each list is a NonEmptyArray: an empty one is left out entirely. */
    if (a->contact_count) {
        rc = id_array_fill(&contacts, a->contact_ids, a->contact_count);
        req.ContactIds = &contacts.array;
    }
    if (!rc && a->group_count) {
        rc = id_array_fill(&groups, a->group_ids, a->group_count);
        req.GroupIds = &groups.array;
    }
    if (!rc && a->extended_count) {
        rc = field_array_fill(&fields, a->extended_properties, a->extended_count);
        req.ExtendedProperties = &fields.array;
    }
    if (rc) {
        ews_err_set(err, rc, "out of memory building the request");
    } else {
        rc = send(ctx, &ews_op_GetImItems, &req);
    }
    id_array_free(&contacts);
    id_array_free(&groups);
    free(fields.choices);
    free(fields.paths);
    return rc;
}

static void view_get_im_items(const void *response, ews_im_view *v)
{
    const struct m__GetImItemsResponseMessageType *m = response;
    v->groups = m->ImItemList ? m->ImItemList->Groups : NULL;
    v->people = m->ImItemList ? m->ImItemList->Personas : NULL;
}

const ews_im_op ews_im_get_im_items = { &ews_op_GetImItems, EWS_IM_RESULT_LIST,
                                        request_get_im_items, view_get_im_items };
