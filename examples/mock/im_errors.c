#include "im_errors.h"

/* Texts as Exchange words them in the reference pages' examples; the
 * group, contact-limit and not-in-group ones have no example there and
 * follow the same style. */
const mock_ews_error MOCK_ERR_INVALID_IM_GROUP_ID = {
    "ErrorInvalidImGroupId", "The specified Im Group Id is invalid." };
const mock_ews_error MOCK_ERR_INVALID_IM_CONTACT_ID = {
    "ErrorInvalidImContactId", "The specified Im Contact Id is invalid." };
const mock_ews_error MOCK_ERR_ITEM_NOT_FOUND = {
    "ErrorItemNotFound", "The specified object was not found in the store." };
const mock_ews_error MOCK_ERR_ID_MALFORMED = { "ErrorInvalidIdMalformed", "Id is malformed." };
const mock_ews_error MOCK_ERR_ID_EMPTY = { "ErrorInvalidIdEmpty", "Id is empty." };
const mock_ews_error MOCK_ERR_GROUP_NAME_EXISTS = {
    "ErrorImGroupDisplayNameAlreadyExists",
    "An IM group with the specified display name already exists." };
const mock_ews_error MOCK_ERR_GROUP_LIMIT = {
    "ErrorImGroupLimitReached", "The maximum number of IM groups has been reached." };
const mock_ews_error MOCK_ERR_CONTACT_LIMIT = {
    "ErrorImContactLimitReached", "The maximum number of IM contacts has been reached." };
const mock_ews_error MOCK_ERR_INVALID_DG_ADDRESS = {
    "ErrorInvalidImDistributionGroupSmtpAddress",
    "The specified IM distribution group SMTP address is invalid." };
const mock_ews_error MOCK_ERR_NOT_IN_GROUP = {
    "ErrorUnableToRemoveImContactFromGroup",
    "Unable to remove the IM contact from the group." };
const mock_ews_error MOCK_ERR_INTERNAL = {
    "ErrorInternalServerError", "An internal server error occurred. The operation failed." };
