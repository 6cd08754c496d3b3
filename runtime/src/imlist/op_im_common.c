#include "imlist/op_im_common.h"

#include <string.h>

#include "core/utf8.h"

/* Whether s is well-formed UTF-8 made only of characters XML 1.0 allows.
 * The engine copies strings to the wire byte for byte: anything else would
 * make the server reject the whole request as malformed. */
static int xml_text(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    while (left) {
        uint32_t cp;
        size_t n = ews_utf8_decode(p, left, &cp);
        if (!n || !ews_xml_char(cp))
            return 0;
        p += n;
        left -= n;
    }
    return 1;
}

int ews_im_check_text(const ews_operation *op, const char *element, const char *value,
                      int required, ews_err *err)
{
    if (!value) {
        if (!required)
            return 0;
        return ews_err_set(err, EWS_EINVAL, "%s: %s is required", op->name, element);
    }
    if (required && !*value)
        return ews_err_set(err, EWS_EINVAL, "%s: %s must not be empty", op->name, element);
    if (!xml_text(value))
        return ews_err_set(err, EWS_EINVAL,
                           "%s: %s is not UTF-8 text that XML can carry (control character "
                           "or malformed byte sequence)",
                           op->name, element);
    return 0;
}

int ews_im_check_id(const ews_operation *op, const char *element, const ews_item_id *id,
                    int required, ews_err *err)
{
    if (!id) {
        if (!required)
            return 0;
        return ews_err_set(err, EWS_EINVAL, "%s: %s is required", op->name, element);
    }
    if (!id->id)
        return ews_err_set(err, EWS_EINVAL, "%s: %s has no id", op->name, element);
    /* An empty Id is valid XML and the server's to refuse (Microsoft's
     * RemoveContactFromImList example sends one). */
    int rc = ews_im_check_text(op, element, id->id, 0, err);
    if (!rc)
        rc = ews_im_check_text(op, element, id->change_key, 0, err);
    return rc;
}

char *ews_im_wire(const char *s)
{
    char *r;
    memcpy(&r, &s, sizeof r); /* drops const without a cast (-Wcast-qual) */
    return r;
}

struct t__ItemIdType ews_im_item_id(const ews_item_id *id)
{
    struct t__ItemIdType r = { ews_im_wire(id->id), ews_im_wire(id->change_key) };
    return r;
}
