/* soapcpp2 input appended to the wsdl2h output: the EWS SOAP fault detail.
 *
 * gSOAP's default SOAP_ENV__Detail keeps only the first child element. EWS
 * faults carry several, in their own namespace, and the throttling hint
 * (BackOffMilliseconds) sits inside MessageXml; declaring the detail here
 * keeps every one of them.
 */
#import "ews.h"

//gsoap e schema namespace: http://schemas.microsoft.com/exchange/services/2006/errors
//gsoap e schema elementForm: qualified

/* MessageXml holds name/value pairs such as
 * <t:Value Name="BackOffMilliseconds">1500</t:Value>; kept as literal XML
 * because its content is open (xs:any) and varies by error. */
struct e__MessageXml
{
    $int __size;
    _XML *__any;
};

struct SOAP_ENV__Detail
{
    char *e__ResponseCode;
    char *e__Message;
    int *e__DescriptiveLinkKey;
    struct e__MessageXml *e__MessageXml;
    /* What Exchange actually sends in a fault: MessageXml in the types
     * namespace, next to ResponseCode and Message in the errors namespace
     * (public server captures; exchangelib reads {types}MessageXml). The
     * errors-namespace form above is kept for servers and proxies that
     * write it. */
    struct e__MessageXml *t__MessageXml;
    /* anything else a server adds, so no detail element is lost */
    $int __size;
    _XML *__any;
};
