/*
 * seed_gen - writes the seed corpora of the codec and protocol fuzz targets
 * from real resource state (terraform.tfstate files of a tofu apply against
 * the emulator), so the fuzzer starts from the shapes OpenTofu really sends.
 *
 *     seed_gen OUT_DIR STATE.tfstate...
 *
 * For each resource instance it writes, under OUT_DIR/<target>/:
 *   fuzz_cty_msgpack: the state and a plan-like copy (null attributes unknown)
 *                     under the resource type and under dynamic;
 *   fuzz_cty_json:    the state under the resource type and under dynamic;
 *   fuzz_protocol:    ValidateResourceConfig, PlanResourceChange (create and
 *                     update), ApplyResourceChange (delete), ReadResource,
 *                     ImportResourceState and UpgradeResourceState requests.
 * File names are <resource>-<what>; the selector bytes match fuzz_common.h
 * and fuzz_protocol.c. Built and run by `make fuzz-seeds`.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <sys/stat.h>

#include "tfplugin6.pb-c.h"
#include "fuzz_common.h"

static const char *out_dir;

static void seed_write(const char *target, const char *name, uint8_t selector, const void *data,
                       size_t len)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", out_dir, target);
    FUZZ_ASSERT(mkdir(path, 0755) == 0 || errno == EEXIST);
    snprintf(path, sizeof(path), "%s/%s/%s", out_dir, target, name);
    FILE *f = fopen(path, "wb");
    FUZZ_ASSERT(f != NULL);
    FUZZ_ASSERT(fwrite(&selector, 1, 1, f) == 1);
    FUZZ_ASSERT(len == 0 || fwrite(data, 1, len, f) == len);
    FUZZ_ASSERT(fclose(f) == 0);
}

static uint8_t type_selector(const char *type_name)
{
    static const char *const names[] = {"lsms_container", NULL, "lsms_channel",
                                        "lsms_distribution", "lsms_dashboard"};
    for (uint8_t i = 0; i < 5; i++)
        if (names[i] && strcmp(names[i], type_name) == 0)
            return i;
    FUZZ_ASSERT(0);
    return 0;
}

static ProtobufCBinaryData msgpack_of(const struct cty_value *v, struct cty_type *t)
{
    ProtobufCBinaryData b = {0, NULL};
    char *error = NULL;
    FUZZ_ASSERT(cty_value_to_msgpack(v, t, &b.data, &b.len, &error) == 0);
    return b;
}

/* Writes a serialized request message as a fuzz_protocol seed. */
static void seed_request(const char *resource, const char *what, uint8_t method,
                         const ProtobufCMessage *msg)
{
    size_t len = protobuf_c_message_get_packed_size(msg);
    uint8_t *buf = malloc(len ? len : 1);
    FUZZ_ASSERT(buf != NULL);
    protobuf_c_message_pack(msg, buf);
    char name[128];
    snprintf(name, sizeof(name), "%s-%s", resource, what);
    seed_write("fuzz_protocol", name, method, buf, len);
    free(buf);
}

/* The value OpenTofu plans before the provider fills in computed values:
 * every null top-level attribute unknown. */
static struct cty_value *plan_like(const struct cty_value *state, struct cty_type *t)
{
    struct cty_value *v = cty_value_clone(state);
    FUZZ_ASSERT(v != NULL);
    for (size_t i = 0; i < cty_type_count(t); i++) {
        const char *name = cty_type_attr_name(t, i);
        if (cty_value_is_null(cty_value_attr(v, name)))
            cty_object_set(v, name, cty_unknown_new(cty_type_attr_type(t, i)));
    }
    return v;
}

static void seed_codecs(const char *resource, const struct cty_value *state, struct cty_type *t,
                        uint8_t sel)
{
    char name[128];
    ProtobufCBinaryData mp = msgpack_of(state, t);
    snprintf(name, sizeof(name), "%s-state", resource);
    seed_write("fuzz_cty_msgpack", name, sel, mp.data, mp.len);
    free(mp.data);

    struct cty_value *planned = plan_like(state, t);
    mp = msgpack_of(planned, t);
    snprintf(name, sizeof(name), "%s-planned", resource);
    seed_write("fuzz_cty_msgpack", name, sel, mp.data, mp.len);
    free(mp.data);
    mp = msgpack_of(planned, cty_type_dynamic());
    snprintf(name, sizeof(name), "%s-planned-dynamic", resource);
    seed_write("fuzz_cty_msgpack", name, 1, mp.data, mp.len);
    free(mp.data);
    cty_value_destroy(planned);

    char *error = NULL;
    char *json = cty_value_to_json(state, t, &error);
    FUZZ_ASSERT(json != NULL);
    snprintf(name, sizeof(name), "%s-state", resource);
    seed_write("fuzz_cty_json", name, sel, json, strlen(json));
    free(json);
    json = cty_value_to_json(state, cty_type_dynamic(), &error);
    FUZZ_ASSERT(json != NULL);
    snprintf(name, sizeof(name), "%s-state-dynamic", resource);
    seed_write("fuzz_cty_json", name, 1, json, strlen(json));
    free(json);
}

/* The selector bytes of fuzz_protocol.c's method table. */
enum { M_VALIDATE, M_PLAN, M_APPLY, M_READ, M_IMPORT, M_UPGRADE };

static void seed_protocol(const char *resource, const char *type_name,
                          const struct cty_value *state, struct cty_type *t, const char *import_id,
                          const char *state_json)
{
    Tfplugin6__DynamicValue dv_state = TFPLUGIN6__DYNAMIC_VALUE__INIT;
    Tfplugin6__DynamicValue dv_null = TFPLUGIN6__DYNAMIC_VALUE__INIT;
    Tfplugin6__DynamicValue dv_planned = TFPLUGIN6__DYNAMIC_VALUE__INIT;
    struct cty_value *null_v = cty_null_new(t);
    struct cty_value *planned = plan_like(state, t);
    dv_state.msgpack = msgpack_of(state, t);
    dv_null.msgpack = msgpack_of(null_v, t);
    dv_planned.msgpack = msgpack_of(planned, t);
    Tfplugin6__ValidateResourceConfig__Request validate =
        TFPLUGIN6__VALIDATE_RESOURCE_CONFIG__REQUEST__INIT;
    validate.type_name = (char *)type_name;
    validate.config = &dv_state;
    seed_request(resource, "validate", M_VALIDATE, &validate.base);

    Tfplugin6__PlanResourceChange__Request plan = TFPLUGIN6__PLAN_RESOURCE_CHANGE__REQUEST__INIT;
    plan.type_name = (char *)type_name;
    plan.prior_state = &dv_null;
    plan.proposed_new_state = &dv_planned;
    plan.config = &dv_state;
    seed_request(resource, "plan-create", M_PLAN, &plan.base);
    plan.prior_state = &dv_state;
    plan.proposed_new_state = &dv_state;
    seed_request(resource, "plan-update", M_PLAN, &plan.base);

    Tfplugin6__ApplyResourceChange__Request apply = TFPLUGIN6__APPLY_RESOURCE_CHANGE__REQUEST__INIT;
    apply.type_name = (char *)type_name;
    apply.prior_state = &dv_state;
    apply.planned_state = &dv_null;
    apply.config = &dv_null;
    seed_request(resource, "apply-delete", M_APPLY, &apply.base);
    apply.prior_state = &dv_null;
    apply.planned_state = &dv_planned;
    apply.config = &dv_state;
    seed_request(resource, "apply-create", M_APPLY, &apply.base);

    Tfplugin6__ReadResource__Request read = TFPLUGIN6__READ_RESOURCE__REQUEST__INIT;
    read.type_name = (char *)type_name;
    read.current_state = &dv_state;
    seed_request(resource, "read", M_READ, &read.base);

    Tfplugin6__ImportResourceState__Request import = TFPLUGIN6__IMPORT_RESOURCE_STATE__REQUEST__INIT;
    import.type_name = (char *)type_name;
    import.id = (char *)import_id;
    seed_request(resource, "import", M_IMPORT, &import.base);

    Tfplugin6__RawState raw = TFPLUGIN6__RAW_STATE__INIT;
    raw.json.data = (uint8_t *)state_json;
    raw.json.len = strlen(state_json);
    Tfplugin6__UpgradeResourceState__Request upgrade =
        TFPLUGIN6__UPGRADE_RESOURCE_STATE__REQUEST__INIT;
    upgrade.type_name = (char *)type_name;
    upgrade.raw_state = &raw;
    seed_request(resource, "upgrade", M_UPGRADE, &upgrade.base);

    free(dv_state.msgpack.data);
    free(dv_null.msgpack.data);
    free(dv_planned.msgpack.data);
    cty_value_destroy(planned);
    cty_value_destroy(null_v);
}

static char *file_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    FUZZ_ASSERT(f != NULL);
    FUZZ_ASSERT(fseek(f, 0, SEEK_END) == 0);
    long n = ftell(f);
    FUZZ_ASSERT(n >= 0 && fseek(f, 0, SEEK_SET) == 0);
    char *s = malloc((size_t)n + 1);
    FUZZ_ASSERT(s && fread(s, 1, (size_t)n, f) == (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static void seed_state_file(const char *path)
{
    char *text = file_read(path);
    cJSON *root = cJSON_Parse(text);
    FUZZ_ASSERT(root != NULL);
    const cJSON *res;
    cJSON_ArrayForEach(res, cJSON_GetObjectItem(root, "resources"))
    {
        const char *type_name = cJSON_GetStringValue(cJSON_GetObjectItem(res, "type"));
        const cJSON *inst = cJSON_GetArrayItem(cJSON_GetObjectItem(res, "instances"), 0);
        char *attrs = cJSON_PrintUnformatted(cJSON_GetObjectItem(inst, "attributes"));
        uint8_t sel = type_selector(type_name);
        struct cty_type *t = fuzz_type_select(sel);
        char *error = NULL;
        struct cty_value *state = cty_value_from_json(attrs, strlen(attrs), t, &error);
        if (!state)
            fprintf(stderr, "%s: %s: %s\n", path, type_name, error);
        FUZZ_ASSERT(state != NULL);
        /* The natural id each resource imports by (see examples/resources/). */
        const char *id = cty_attr_string(state, "id");
        if (strcmp(type_name, "lsms_container") == 0 || strcmp(type_name, "lsms_dashboard") == 0)
            id = cty_attr_string(state, "name");
        const char *base = strrchr(path, '/');
        char resource[160];
        snprintf(resource, sizeof(resource), "%s-%s", type_name, base ? base + 1 : path);
        char *dot = strchr(resource, '.');
        if (dot)
            *dot = '\0';
        seed_codecs(resource, state, t, sel);
        seed_protocol(resource, type_name, state, t, id ? id : "x", attrs);
        cty_value_destroy(state);
        free(attrs);
    }
    cJSON_Delete(root);
    free(text);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: seed_gen OUT_DIR STATE.tfstate...\n");
        return 2;
    }
    out_dir = argv[1];
    fuzz_types_init();
    for (int i = 2; i < argc; i++)
        seed_state_file(argv[i]);
    return 0;
}
