/* Writes a synthetic GetImItemList response with N personas shaped like the
 * fuller persona of Microsoft's reference example (two attributions,
 * attributed names, phones, e-mail, IM address) and 20 groups whose
 * MemberCorrelationKey ItemIds are attribution SourceIds: every persona is a
 * member of exactly one group, so the member join grows with N.
 * Written without whitespace between elements, as Exchange sends it (about
 * 3.5 KB per persona, like the notes' baselines); the templates below are
 * indented only to be read.
 *
 * usage: ews-bench-gen [--minimal [--ids=plain|collide]
 *                       [--members=all|unmatched|first]] N OUTPUT.xml
 *
 * --minimal: each persona only an id, a name and one attribution (about
 * 310 bytes with its group member: 100,000 fit the default 32 MiB limit), and one group whose members are every persona's attribution
 * SourceId (all), as many ids no persona has (unmatched), or the first
 * persona's SourceId as many times (first). --ids=collide: persona ids and
 * SourceIds made to collide under the 64-bit FNV-1a hash the id tables used
 * before they were keyed (same low 20 bits: one probe chain in any table
 * of up to 2^20 slots); plain ids have the same lengths.
 * The large-list tests (tests/large) generate their inputs with it. */
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GROUPS 20
#define MEMBER_GROUPS (GROUPS - 2) /* Other Contacts and Tagged list nobody */

static const char *const given[] = { "Anthony", "Terence", "Maria", "Yuki", "Olga", "Sven",
                                     "Amara", "Li", "Pedro", "Fatima", "Noah", "Ines" };
static const char *const family[] = { "Smith", "Adams", "Garcia", "Tanaka", "Ivanova",
                                      "Berg", "Okafor", "Wei", "Santos", "Haddad", "Klein" };
#define NGIVEN (sizeof given / sizeof given[0])
#define NFAMILY (sizeof family / sizeof family[0])

/* printf that drops every newline and the indentation of every line. */
__attribute__((format(printf, 2, 3))) static void out(FILE *f, const char *fmt, ...)
{
    char buf[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf) {
        fprintf(stderr, "ews-bench-gen: template too long\n");
        exit(1);
    }
    const char *c = buf;
    while (*c == ' ')
        c++;
    for (; *c; c++) {
        if (*c == '\n') {
            while (c[1] == ' ')
                c++;
            continue;
        }
        putc(*c, f);
    }
}

/* Ids are base64-looking and unique: the persona number sits in a fixed-width
 * field, so every id of a kind has the same length whatever N is. */
static void source_id(char *buf, size_t len, unsigned long i, int attribution)
{
    if (attribution == 0)
        snprintf(buf, len, "AQMkAGQ1MjIAYzEwZC03OGNlLTQ5Bq239uFChNtYAAAI%010luAAAAA==", i);
    else
        snprintf(buf, len, "AAMkAGQ1MjJjMTBkLTc4Y2UtNDA5Ny04/bhQoTbW%010luAAAveAAA=", i);
}

static void header(FILE *f)
{
    out(f, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
          "   <s:Header>\n"
          "      <h:ServerVersionInfo MajorVersion=\"15\" MinorVersion=\"0\" MajorBuildNumber=\"349\" "
          "MinorBuildNumber=\"0\" Version=\"Exchange2013\" "
          "xmlns=\"http://schemas.microsoft.com/exchange/services/2006/types\" "
          "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
          "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
          "xmlns:h=\"http://schemas.microsoft.com/exchange/services/2006/types\" />\n"
          "   </s:Header>\n"
          "   <s:Body xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
          "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\n"
          "      <GetImItemListResponse ResponseClass=\"Success\" "
          "xmlns=\"http://schemas.microsoft.com/exchange/services/2006/messages\">\n"
          "         <ResponseCode>NoError</ResponseCode>\n"
          "         <ImItemList>\n");
}

static void group(FILE *f, unsigned long n, int g)
{
    static const char *const fixed[][2] = {
        { "Other Contacts", "IPM.DistList.MOC.OtherContacts" },
        { "Tagged", "IPM.DistList.MOC.Tagged" },
        { "Favorites", "IPM.DistList.MOC.Favorites" },
    };
    char name[32];
    const char *type = "IPM.DistList.MOC.UserGroup";
    if (g < 3) {
        snprintf(name, sizeof name, "%s", fixed[g][0]);
        type = fixed[g][1];
    } else {
        snprintf(name, sizeof name, "MyCustomGroup%d", g - 2);
    }
    out(f,
            "               <ImGroup>\n"
            "                  <DisplayName>%s</DisplayName>\n"
            "                  <GroupType>%s</GroupType>\n"
            "                  <ExchangeStoreId Id=\"AAMkAGQ1MjJjMTBkLThQoTbW%04dAAAQUAAA=\" "
            "ChangeKey=\"EgAAAA==\" />\n",
            name, type, g);
    if (g >= 2) {
        int first = 1;
        for (unsigned long i = (unsigned long)(g - 2); i < n; i += MEMBER_GROUPS) {
            char id[96];
            if (first)
                out(f, "                  <MemberCorrelationKey>\n");
            first = 0;
            /* Alternate between the two attributions, as groups name
             * whichever contact item was added to them. */
            source_id(id, sizeof id, i, (int)(i / MEMBER_GROUPS) & 1);
            out(f,
                    "                     <ItemId Id=\"%s\" ChangeKey=\"EQAAAA==\" />\n", id);
        }
        if (!first)
            out(f, "                  </MemberCorrelationKey>\n");
    }
    out(f, "               </ImGroup>\n");
}

static void attributed_string(FILE *f, const char *field, const char *value, const char *attr)
{
    out(f,
            "                  <%s>\n"
            "                     <StringAttributedValue>\n"
            "                        <Value>%s</Value>\n"
            "                        <Attributions>\n"
            "                           <Attribution>%s</Attribution>\n"
            "                        </Attributions>\n"
            "                     </StringAttributedValue>\n"
            "                  </%s>\n",
            field, value, attr, field);
}

static void attributed_phone(FILE *f, const char *field, unsigned long number, const char *type)
{
    out(f,
            "                  <%s>\n"
            "                     <PhoneNumberAttributedValue>\n"
            "                        <Value>\n"
            "                           <Number>425%07lu</Number>\n"
            "                           <Type>%s</Type>\n"
            "                        </Value>\n"
            "                        <Attributions>\n"
            "                           <Attribution>0</Attribution>\n"
            "                        </Attributions>\n"
            "                     </PhoneNumberAttributedValue>\n"
            "                  </%s>\n",
            field, number % 10000000ul, type, field);
}

static void attribution(FILE *f, unsigned long i, int k)
{
    char id[96];
    source_id(id, sizeof id, i, k);
    out(f,
            "                     <Attribution>\n"
            "                        <Id>%d</Id>\n"
            "                        <SourceId Id=\"%s\" "
            "ChangeKey=\"EQAAABYAAABtF8oI7iVOQatt/bhQoTbWAAAAADB3\" />\n"
            "                        <DisplayName>Outlook</DisplayName>\n"
            "                        <IsWritable>true</IsWritable>\n"
            "                        <IsQuickContact>%s</IsQuickContact>\n"
            "                        <IsHidden>false</IsHidden>\n"
            "                        <FolderId Id=\"AQMkAGQ1MjIAYzEMikE3AQBtF8oI7iVOQatt/bhQoTb%dAADEAAAAA==\" "
            "ChangeKey=\"AQAAAA==\" />\n"
            "                     </Attribution>\n",
            k, id, k ? "true" : "false", k);
}

static void persona(FILE *f, unsigned long i)
{
    const char *gn = given[i % NGIVEN], *sn = family[(i / NGIVEN) % NFAMILY];
    char full[64], last_first[64], file_as[64], mail[96];
    snprintf(full, sizeof full, "%s %s %lu", gn, sn, i);
    snprintf(last_first, sizeof last_first, "%s %s %lu", sn, gn, i);
    snprintf(file_as, sizeof file_as, "%s, %s %lu", sn, gn, i);
    snprintf(mail, sizeof mail, "%c%s.%lu@contoso.com", gn[0] + 32, sn, i);

    out(f,
            "               <Persona>\n"
            "                  <PersonaId Id=\"AAQkAGQ1MjJjMTBkLTc4YkZmRkYQAQAF%010luE1nBcqRGgYWWorM9/+s=\" />\n"
            "                  <PersonaType>Person</PersonaType>\n"
            "                  <CreationTime>2012-01-12T22:14:36Z</CreationTime>\n"
            "                  <DisplayName>%s</DisplayName>\n"
            "                  <DisplayNameFirstLast>%s</DisplayNameFirstLast>\n"
            "                  <DisplayNameLastFirst>%s</DisplayNameLastFirst>\n"
            "                  <FileAs>%s</FileAs>\n"
            "                  <FileAsId>LastCommaFirst</FileAsId>\n"
            "                  <GivenName>%s</GivenName>\n"
            "                  <Surname>%s</Surname>\n"
            "                  <EmailAddress>\n"
            "                     <Name>%s</Name>\n"
            "                     <EmailAddress>%s</EmailAddress>\n"
            "                     <RoutingType>SMTP</RoutingType>\n"
            "                  </EmailAddress>\n"
            "                  <EmailAddresses>\n"
            "                     <EmailAddress>\n"
            "                        <Name>%s</Name>\n"
            "                        <EmailAddress>%s</EmailAddress>\n"
            "                        <RoutingType>SMTP</RoutingType>\n"
            "                     </EmailAddress>\n"
            "                  </EmailAddresses>\n"
            "                  <ImAddress>%s</ImAddress>\n"
            "                  <RelevanceScore>2147483647</RelevanceScore>\n"
            "                  <Attributions>\n",
            i, full, full, last_first, file_as, gn, sn, mail, mail, mail, mail, mail);
    attribution(f, i, 0);
    attribution(f, i, 1);
    out(f, "                  </Attributions>\n");
    out(f,
            "                  <DisplayNames>\n"
            "                     <StringAttributedValue>\n"
            "                        <Value>%s</Value>\n"
            "                        <Attributions>\n"
            "                           <Attribution>0</Attribution>\n"
            "                        </Attributions>\n"
            "                     </StringAttributedValue>\n"
            "                     <StringAttributedValue>\n"
            "                        <Value>%.1s. %s %lu</Value>\n"
            "                        <Attributions>\n"
            "                           <Attribution>1</Attribution>\n"
            "                        </Attributions>\n"
            "                     </StringAttributedValue>\n"
            "                  </DisplayNames>\n",
            full, gn, sn, i);
    attributed_string(f, "FileAses", file_as, "0");
    out(f, "                  <FileAsIds>\n"
          "                     <StringAttributedValue>\n"
          "                        <Value>LastCommaFirst</Value>\n"
          "                        <Attributions>\n"
          "                           <Attribution>0</Attribution>\n"
          "                        </Attributions>\n"
          "                     </StringAttributedValue>\n"
          "                     <StringAttributedValue>\n"
          "                        <Value>None</Value>\n"
          "                        <Attributions>\n"
          "                           <Attribution>1</Attribution>\n"
          "                        </Attributions>\n"
          "                     </StringAttributedValue>\n"
          "                  </FileAsIds>\n");
    attributed_string(f, "GivenNames", gn, "0");
    attributed_string(f, "Surnames", sn, "0");
    attributed_phone(f, "HomePhones", 5550110ul + i, "Home");
    attributed_phone(f, "MobilePhones", 5550120ul + i, "Mobile");
    out(f,
            "                  <Emails1>\n"
            "                     <EmailAddressAttributedValue>\n"
            "                        <Value>\n"
            "                           <Name>%s</Name>\n"
            "                           <EmailAddress>%s</EmailAddress>\n"
            "                           <RoutingType>SMTP</RoutingType>\n"
            "                        </Value>\n"
            "                        <Attributions>\n"
            "                           <Attribution>0</Attribution>\n"
            "                           <Attribution>1</Attribution>\n"
            "                        </Attributions>\n"
            "                     </EmailAddressAttributedValue>\n"
            "                  </Emails1>\n",
            mail, mail);
    attributed_string(f, "ImAddresses", mail, "1");
    out(f, "               </Persona>\n");
}

/* ---- minimal lists (--minimal) ------------------------------------------ */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
#define FNV_PRIME 1099511628211ULL
#define FNV_BASIS 1469598103934665603ULL
#define COLLIDE_BITS 20
#define COLLIDE_MASK ((1u << COLLIDE_BITS) - 1)

/* For every FNV-1a state (mod 2^20), a 4-character suffix from there to
 * `target`: built backwards from the target (FNV-1a's step is invertible),
 * 64^4 suffixes for 2^20 states covers them all. */
typedef struct collider {
    uint32_t *suffix; /* 4 alphabet indexes packed, UINT32_MAX when none */
} collider;

static uint64_t fnv_inverse(void)
{
    uint64_t x = FNV_PRIME; /* Newton: each step doubles the correct bits */
    for (int i = 0; i < 6; i++)
        x *= 2 - FNV_PRIME * x;
    return x;
}

static void collider_init(collider *c, uint32_t target)
{
    c->suffix = malloc(sizeof *c->suffix << COLLIDE_BITS);
    if (!c->suffix) {
        fprintf(stderr, "ews-bench-gen: out of memory\n");
        exit(1);
    }
    memset(c->suffix, 0xff, sizeof *c->suffix << COLLIDE_BITS);
    uint64_t inv = fnv_inverse();
    for (uint32_t k = 0; k < 64u * 64 * 64 * 64; k++) {
        uint64_t st = target;
        for (int j = 0; j < 4; j++) /* last character first: bits 0-5 */
            st = ((st * inv) & COLLIDE_MASK) ^ (unsigned char)b64[(k >> (6 * j)) & 63];
        c->suffix[st & COLLIDE_MASK] = k;
    }
}

/* prefix + 4 characters, FNV-1a of the whole == target (mod 2^20); or
 * prefix + "AAAA" for plain ids (c NULL). */
static void make_id(char *out, size_t len, const collider *c, const char *prefix)
{
    uint32_t k = 0;
    if (c) {
        uint64_t h = FNV_BASIS;
        for (const char *p = prefix; *p; p++)
            h = (h ^ (unsigned char)*p) * FNV_PRIME;
        k = c->suffix[h & COLLIDE_MASK];
        if (k == UINT32_MAX) {
            fprintf(stderr, "ews-bench-gen: no colliding suffix for %s\n", prefix);
            exit(1);
        }
    }
    snprintf(out, len, "%s%c%c%c%c", prefix, b64[(k >> 18) & 63], b64[(k >> 12) & 63],
             b64[(k >> 6) & 63], b64[k & 63]);
}

static void minimal_list(FILE *f, unsigned long n, int collide, const char *members)
{
    collider persona_ids = { NULL }, source_ids = { NULL };
    if (collide) {
        collider_init(&persona_ids, 0x5a5a5);
        collider_init(&source_ids, 0x3c3c3);
    }
    const collider *pc = collide ? &persona_ids : NULL, *sc = collide ? &source_ids : NULL;
    char prefix[64], id[96];
    header(f);
    out(f, "<Groups xmlns=\"http://schemas.microsoft.com/exchange/services/2006/types\">"
           "<ImGroup><DisplayName>Everyone</DisplayName>"
           "<GroupType>IPM.DistList.MOC.UserGroup</GroupType>"
           "<ExchangeStoreId Id=\"AAMkAGQ1MjJjMTBkLThQoTbW0001AAAQUAAA=\" ChangeKey=\"EgAAAA==\"/>"
           "<MemberCorrelationKey>");
    for (unsigned long i = 0; i < n; i++) {
        if (strcmp(members, "unmatched") == 0) {
            snprintf(prefix, sizeof prefix, "AAMkAGQ1MjJjNoSuchItem%010lu", i);
            make_id(id, sizeof id, sc, prefix);
        } else {
            snprintf(prefix, sizeof prefix, "AAMkAGQ1MjJjMTBkLTc4Y2U%010lu",
                     strcmp(members, "first") == 0 ? 0ul : i);
            make_id(id, sizeof id, sc, prefix);
        }
        out(f, "<ItemId Id=\"%s\"/>", id);
    }
    out(f, "</MemberCorrelationKey></ImGroup></Groups>"
           "<Personas xmlns=\"http://schemas.microsoft.com/exchange/services/2006/types\">");
    for (unsigned long i = 0; i < n; i++) {
        char pid[96];
        snprintf(prefix, sizeof prefix, "AAQkAGQ1MjJjMTBk%010lu", i);
        make_id(pid, sizeof pid, pc, prefix);
        snprintf(prefix, sizeof prefix, "AAMkAGQ1MjJjMTBkLTc4Y2U%010lu", i);
        make_id(id, sizeof id, sc, prefix);
        out(f, "<Persona><PersonaId Id=\"%s\"/><DisplayName>Person %lu</DisplayName>"
               "<Attributions><Attribution><Id>0</Id>"
               "<SourceId Id=\"%s\"/><DisplayName>Outlook</DisplayName>"
               "</Attribution></Attributions></Persona>",
            pid, i, id);
    }
    out(f, "</Personas></ImItemList></GetImItemListResponse></s:Body></s:Envelope>\n");
    free(persona_ids.suffix);
    free(source_ids.suffix);
}

static int usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [--minimal [--ids=plain|collide] [--members=all|unmatched|first]] "
            "N OUTPUT.xml\n",
            argv0);
    return 2;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "minimal", no_argument, NULL, 'm' },
        { "ids", required_argument, NULL, 'i' },
        { "members", required_argument, NULL, 'g' },
        { NULL, 0, NULL, 0 },
    };
    int minimal = 0, collide = 0, c;
    const char *members = "all";
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'm': minimal = 1; break;
        case 'i':
            if (strcmp(optarg, "collide") != 0 && strcmp(optarg, "plain") != 0)
                return usage(argv[0]);
            collide = strcmp(optarg, "collide") == 0;
            break;
        case 'g':
            if (strcmp(optarg, "all") != 0 && strcmp(optarg, "unmatched") != 0 &&
                strcmp(optarg, "first") != 0)
                return usage(argv[0]);
            members = optarg;
            break;
        default: return usage(argv[0]);
        }
    }
    if (argc - optind != 2 || ((collide || strcmp(members, "all") != 0) && !minimal))
        return usage(argv[0]);
    argv += optind - 1;
    char *end;
    unsigned long n = strtoul(argv[1], &end, 10);
    if (*end || n == 0) {
        fprintf(stderr, "%s: N must be a positive number\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[2], "w");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    static char buf[1 << 16];
    setvbuf(f, buf, _IOFBF, sizeof buf);

    if (minimal) {
        minimal_list(f, n, collide, members);
        goto done;
    }
    header(f);
    out(f, "            <Groups xmlns=\"http://schemas.microsoft.com/exchange/services/2006/types\">\n");
    for (int g = 0; g < GROUPS; g++)
        group(f, n, g);
    out(f, "            </Groups>\n"
          "            <Personas xmlns=\"http://schemas.microsoft.com/exchange/services/2006/types\">\n");
    for (unsigned long i = 0; i < n; i++)
        persona(f, i);
    out(f, "            </Personas>\n"
          "         </ImItemList>\n"
          "      </GetImItemListResponse>\n"
          "   </s:Body>\n"
          "</s:Envelope>\n");
done:
    if (fclose(f) != 0) {
        perror(argv[2]);
        return 1;
    }
    return 0;
}
