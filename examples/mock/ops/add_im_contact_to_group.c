/* AddImContactToGroup: placeholder until the mailbox can change; compiled only when
 * wsdl/operations.txt lists the operation (see CMakeLists.txt). */
#include "soapH.h"
#include "service_ops.h"

int __m__AddImContactToGroup(struct soap *soap, struct m__AddImContactToGroupType *req,
    struct __m__AddImContactToGroupResponse *resp)
{
    (void)req;
    (void)resp;
    return mock_service_unimplemented(soap, "AddImContactToGroup");
}
