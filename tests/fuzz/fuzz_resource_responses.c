/*
 * fuzz_resource_responses - the readers of AWS answers inside the
 * resources: dashboard_body_parse (the GetDashboard body, import) and
 * channel_state_from_channel / _from_input / _from_security_group
 * (DescribeChannel, DescribeInput, DescribeInputSecurityGroup), the channel
 * answer's "containers" member standing in for the ListContainers list the
 * import matches the destination against.
 *
 * Input: one selector byte, then the answer's JSON text.
 */
#include <cjson/cJSON.h>

#include "resources/channel_state.h"
#include "resources/dashboard_body.h"
#include "fuzz_common.h"

/* Provider data as after ConfigureProvider with one default tag. */
static struct lsms_provider_data fuzz_pd;

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *json = fuzz_cstring(data + 1, size - 1);
    if (data[0] & 0x80)
        fuzz_dashboard(json);
    else
        fuzz_channel(data[0], json);
    free(json);
    return 0;
}
