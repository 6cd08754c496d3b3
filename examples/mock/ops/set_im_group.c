/* SetImGroup: placeholder until the mailbox can change; compiled only when
 * wsdl/operations.txt lists the operation (see CMakeLists.txt). */
#include "soapH.h"
#include "service_ops.h"

int __m__SetImGroup(struct soap *soap, struct m__SetImGroupType *req,
    struct __m__SetImGroupResponse *resp)
{
    (void)req;
    (void)resp;
    return mock_service_unimplemented(soap, "SetImGroup");
}
