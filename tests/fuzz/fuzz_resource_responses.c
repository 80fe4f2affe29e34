/*
 * fuzz_resource_responses - the readers of AWS answers inside the
 * resources: dashboard_body_parse (the GetDashboard body, import),
 * channel_state_from_channel / _from_input / _from_security_group
 * (DescribeChannel, DescribeInput, DescribeInputSecurityGroup), the channel
 * answer's "containers" member standing in for the ListContainers list the
 * import matches the destination against, and lsms_bucket's readers of S3's
 * XML answers (bucket_xml.h: CORS, lifecycle, tags, Block Public Access,
 * ownership, logging, metrics configurations, ListObjectVersions pages,
 * DeleteObjects errors). CORS and lifecycle rules read from an answer must
 * build a request body that reads back to the same rules.
 *
 * Input: one selector byte, then the answer's text: JSON (selector bit 0x40
 * clear), or S3 XML (0x40 set, 0x80 clear).
 */
#include <cjson/cJSON.h>
#include <libxml/xmlerror.h>

#include "aws/xml.h"
#include "resources/bucket/bucket_xml.h"
#include "resources/channel/channel_state.h"
#include "resources/dashboard/dashboard_body.h"
#include "fuzz_common.h"

/* Provider data as after ConfigureProvider with one default tag. */
static struct lsms_provider_data fuzz_pd;
/* lsms_bucket's attribute types (cors_rules, lifecycle_rules, tags). */
static struct cty_type *fuzz_bucket_type;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_types_init();
    fuzz_pd.region = strdup("us-east-1");
    fuzz_pd.account_id = strdup("123456789012");
    fuzz_pd.default_tags = cty_collection_new(fuzz_type_select(6));
    FUZZ_ASSERT(fuzz_pd.region && fuzz_pd.account_id && fuzz_pd.default_tags);
    FUZZ_ASSERT(cty_map_put(fuzz_pd.default_tags, "Project", cty_string_new("lsms")) == 0);
    fuzz_bucket_type = fuzz_resource_type("lsms_bucket");
    return 0;
}

static void fuzz_dashboard(const char *json)
{
    struct dashboard_body_inputs in = {0};
    if (dashboard_body_parse(json, &in) == 0)
        FUZZ_ASSERT(in.container_name && in.region && in.stream_path);
    dashboard_body_inputs_clean_up(&in);
}

static void fuzz_channel(uint8_t which, const char *json)
{
    cJSON *answer = cJSON_Parse(json);
    if (!answer)
        return;
    /* The provider's state object of lsms_channel (fuzz_types()[2]). */
    struct cty_value *state = cty_object_new(fuzz_type_select(2));
    FUZZ_ASSERT(state != NULL);
    switch (which % 4) {
    case 0:
        (void)channel_state_from_channel(state, answer, &fuzz_pd,
                                         cJSON_GetObjectItemCaseSensitive(answer, "containers"));
        break;
    case 1:
        (void)channel_state_from_input(state, answer);
        break;
    case 2:
        (void)channel_state_from_security_group(state, answer);
        break;
    default:
        (void)channel_state_needs_containers(state, answer);
        (void)channel_state_container_for_endpoint(
            cJSON_GetObjectItemCaseSensitive(answer, "containers"),
            cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(answer, "endpoint")));
        (void)channel_state_password_param(answer);
        (void)channel_state_profile_of(cJSON_GetObjectItemCaseSensitive(answer, "encoderSettings"));
        break;
    }
    cty_value_destroy(state);
    cJSON_Delete(answer);
}

static struct cty_type *fuzz_bucket_attr_type(const char *name)
{
    long i = cty_type_attr_index(fuzz_bucket_type, name);
    FUZZ_ASSERT(i >= 0);
    return cty_type_attr_type(fuzz_bucket_type, (size_t)i);
}

/* Rules read from an answer, written as a request body and read back from
 * it, are the same rules. `build` may refuse rules it cannot send (none,
 * days S3 refuses); `read2` reads the body. */
static void fuzz_bucket_round_trip(const struct cty_value *rules,
                                   char *(*build)(const struct cty_value *, const char **),
                                   struct cty_value *(*read2)(const xmlDoc *, struct cty_type *,
                                                              const struct cty_value *),
                                   struct cty_type *t)
{
    const char *error = NULL;
    char *body = build(rules, &error);
    if (!body)
        return;
    xmlDoc *again = aws_xml_parse(body, strlen(body));
    FUZZ_ASSERT(again != NULL);
    struct cty_value *back = read2(again, t, rules);
    FUZZ_ASSERT(back != NULL && cty_value_equal(back, rules));
    cty_value_destroy(back);
    xmlFreeDoc(again);
    free(body);
}

static struct cty_value *fuzz_lifecycle_read(const xmlDoc *doc, struct cty_type *t,
                                             const struct cty_value *prior)
{
    (void)prior;
    return bucket_xml_lifecycle_read(doc, t);
}

static void fuzz_bucket(uint8_t which, const char *xml, size_t len)
{
    xmlDoc *doc = aws_xml_parse(xml, len);
    if (!doc)
        return;
    switch (which % 3) {
    case 0: {
        struct cty_type *cors_t = fuzz_bucket_attr_type("cors_rules");
        struct cty_type *life_t = fuzz_bucket_attr_type("lifecycle_rules");
        struct cty_value *cors = bucket_xml_cors_read(doc, cors_t, NULL);
        struct cty_value *life = bucket_xml_lifecycle_read(doc, life_t);
        struct cty_value *tags = bucket_xml_tags_read(doc, fuzz_bucket_attr_type("tags"));
        FUZZ_ASSERT(cors && life && tags);
        fuzz_bucket_round_trip(cors, bucket_xml_cors_build, bucket_xml_cors_read, cors_t);
        fuzz_bucket_round_trip(life, bucket_xml_lifecycle_build, fuzz_lifecycle_read, life_t);
        char *body = bucket_xml_tagging_build(tags);
        FUZZ_ASSERT(body != NULL);
        free(body);
        cty_value_destroy(cors);
        cty_value_destroy(life);
        cty_value_destroy(tags);
        break;
    }
    case 1: {
        (void)bucket_xml_public_access_blocked(doc);
        (void)bucket_xml_metrics_whole_bucket(doc);
        free(bucket_xml_ownership_read(doc));
        char *target = NULL, *prefix = NULL, *id = NULL, *next = NULL;
        FUZZ_ASSERT(bucket_xml_logging_read(doc, &target, &prefix) == 0);
        FUZZ_ASSERT((target == NULL) == (prefix == NULL));
        FUZZ_ASSERT(bucket_xml_metrics_list_read(doc, &id, &next) == 0);
        free(target);
        free(prefix);
        free(id);
        free(next);
        break;
    }
    default: {
        struct bucket_versions_page page = {0};
        FUZZ_ASSERT(bucket_xml_versions_page_read(doc, &page) == 0);
        for (size_t i = 0; i < page.n; i++)
            FUZZ_ASSERT(page.items[i].key && *page.items[i].key);
        if (page.n > 0 && page.n <= 1000) {
            char *body = bucket_xml_delete_build(page.items, page.n);
            FUZZ_ASSERT(body != NULL);
            free(body);
        }
        bucket_xml_versions_page_clean_up(&page);
        char *first = NULL;
        size_t errors = bucket_xml_delete_errors(doc, &first);
        FUZZ_ASSERT((errors == 0) == (first == NULL));
        free(first);
        break;
    }
    }
    xmlFreeDoc(doc);
    /* libxml2 keeps the last parse error per thread: see fuzz_response.h. */
    xmlResetLastError();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *text = fuzz_cstring(data + 1, size - 1);
    if (data[0] & 0x80)
        fuzz_dashboard(text);
    else if (data[0] & 0x40)
        fuzz_bucket(data[0] & 0x3f, text, size - 1);
    else
        fuzz_channel(data[0], text);
    free(text);
    return 0;
}
