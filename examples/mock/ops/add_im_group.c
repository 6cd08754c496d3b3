/* AddImGroup: placeholder until the mailbox can change; compiled only when
 * wsdl/operations.txt lists the operation (see CMakeLists.txt). */
#include "soapH.h"
#include "service_ops.h"

int __m__AddImGroup(struct soap *soap, struct m__AddImGroupType *req,
    struct __m__AddImGroupResponse *resp)
{
    (void)req;
    (void)resp;
    return mock_service_unimplemented(soap, "AddImGroup");
}
