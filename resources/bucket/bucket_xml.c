/*
 * bucket_xml.c - S3 request bodies and answers of lsms_bucket (bucket_xml.h).
 */
#include "resources/bucket/bucket_xml.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"

static const char OOM[] = "out of memory";

/* ---- building ---- */

/* A document being built: its root, and whether any step ran out of memory
 * (so the steps can be written one after the other and checked once). */
struct bx {
    xmlDocPtr doc;
    xmlNodePtr root;
    bool failed;
};

/* A new document whose root `name` declares the S3 namespace; children made
 * by bx_el inherit it. */
static void bx_start(struct bx *b, const char *name)
{
    aws_xml_init();
    b->failed = false;
    b->doc = xmlNewDoc(BAD_CAST "1.0");
    b->root = b->doc ? xmlNewDocNode(b->doc, NULL, BAD_CAST name, NULL) : NULL;
    xmlNsPtr ns = b->root ? xmlNewNs(b->root, BAD_CAST BUCKET_XML_NAMESPACE, NULL) : NULL;
    if (!b->doc || !b->root || !ns) {
        xmlFreeNode(b->root);
        xmlFreeDoc(b->doc);
        *b = (struct bx){.failed = true};
        return;
    }
    xmlSetNs(b->root, ns);
    xmlDocSetRootElement(b->doc, b->root);
}

/* A child element with escaped text (NULL: an element for children). */
static xmlNodePtr bx_el(struct bx *b, xmlNodePtr parent, const char *name, const char *text)
{
    xmlNodePtr n = parent ? xmlNewTextChild(parent, NULL, BAD_CAST name,
                                            text && *text ? BAD_CAST text : NULL)
                          : NULL;
    if (!n)
        b->failed = true;
    return n;
}

static void bx_int(struct bx *b, xmlNodePtr parent, const char *name, int64_t v)
{
    char text[32];
    snprintf(text, sizeof text, "%" PRId64, v);
    bx_el(b, parent, name, text);
}

/* The document as malloc'd text (freed with free()); frees the document.
 * NULL when a step failed or the dump ran out of memory. */
static char *bx_finish(struct bx *b)
{
    char *text = NULL;
    if (!b->failed && b->doc) {
        xmlChar *mem = NULL;
        int size = 0;
        xmlDocDumpMemoryEnc(b->doc, &mem, &size, "UTF-8");
        if (mem && size >= 0 && (text = malloc((size_t)size + 1))) {
            memcpy(text, mem, (size_t)size);
            text[size] = '\0';
        }
        xmlFree(mem);
    }
    xmlFreeDoc(b->doc);
    *b = (struct bx){0};
    return text;
}

/* Each string of a list(string) value as element `name`; null or empty
 * lists add nothing. */
static void bx_strings(struct bx *b, xmlNodePtr parent, const char *name,
                       const struct cty_value *list)
{
    for (size_t i = 0; list && !cty_value_is_null(list) && i < cty_value_length(list); i++) {
        const char *s = cty_value_string(cty_value_index(list, i));
        bx_el(b, parent, name, s ? s : "");
    }
}

/* Rules of a list value that is known, non-null and non-empty; else *error. */
static bool bx_rules_usable(const struct cty_value *rules, const char *what, const char **error)
{
    if (!rules || !cty_value_is_wholly_known(rules) || cty_value_is_null(rules) ||
        cty_value_length(rules) == 0) {
        *error = what;
        return false;
    }
    return true;
}

char *bucket_xml_cors_build(const struct cty_value *rules, const char **error)
{
    const char *unused;
    if (!error)
        error = &unused;
    if (!bx_rules_usable(rules, "there are no known CORS rules to send", error))
        return NULL;
    struct bx b;
    bx_start(&b, "CORSConfiguration");
    for (size_t i = 0; !b.failed && i < cty_value_length(rules); i++) {
        const struct cty_value *r = cty_value_index(rules, i);
        xmlNodePtr rule = bx_el(&b, b.root, "CORSRule", NULL);
        /* Shape CORSRule's member order. */
        bx_strings(&b, rule, "AllowedHeader", cty_value_attr(r, "allowed_headers"));
        bx_strings(&b, rule, "AllowedMethod", cty_value_attr(r, "allowed_methods"));
        bx_strings(&b, rule, "AllowedOrigin", cty_value_attr(r, "allowed_origins"));
        bx_strings(&b, rule, "ExposeHeader", cty_value_attr(r, "expose_headers"));
        int64_t age;
        if (cty_value_number_int64(cty_value_attr(r, "max_age_seconds"), &age) == 0)
            bx_int(&b, rule, "MaxAgeSeconds", age);
    }
    char *text = bx_finish(&b);
    *error = text ? NULL : OOM;
    return text;
}

char *bucket_xml_lifecycle_build(const struct cty_value *rules, const char **error)
{
    const char *unused;
    if (!error)
        error = &unused;
    if (!bx_rules_usable(rules, "there are no known lifecycle rules to send", error))
        return NULL;
    for (size_t i = 0; i < cty_value_length(rules); i++) {
        const struct cty_value *r = cty_value_index(rules, i);
        int64_t days;
        if (cty_value_number_int64(cty_value_attr(r, "expiration_days"), &days) != 0 ||
            days < 1) {
            *error = "S3 lifecycle rules expire objects after whole days, 1 at least";
            return NULL;
        }
        if (!cty_attr_string(r, "prefix")) {
            *error = "every lifecycle rule needs a prefix (\"\" for the whole bucket)";
            return NULL;
        }
    }
    struct bx b;
    bx_start(&b, "LifecycleConfiguration");
    for (size_t i = 0; !b.failed && i < cty_value_length(rules); i++) {
        const struct cty_value *r = cty_value_index(rules, i);
        const char *prefix = cty_attr_string(r, "prefix");
        int64_t days = 0;
        char id[32];
        (void)cty_value_number_int64(cty_value_attr(r, "expiration_days"), &days);
        snprintf(id, sizeof id, "lsms-%zu", i);
        /* Shape LifecycleRule's member order: Expiration, ID, Filter, Status. */
        xmlNodePtr rule = bx_el(&b, b.root, "Rule", NULL);
        bx_int(&b, bx_el(&b, rule, "Expiration", NULL), "Days", days);
        bx_el(&b, rule, "ID", id);
        bx_el(&b, bx_el(&b, rule, "Filter", NULL), "Prefix", prefix);
        bx_el(&b, rule, "Status", "Enabled");
    }
    char *text = bx_finish(&b);
    *error = text ? NULL : OOM;
    return text;
}

char *bucket_xml_metrics_build(const char *id)
{
    if (!id)
        return NULL;
    struct bx b;
    bx_start(&b, "MetricsConfiguration");
    bx_el(&b, b.root, "Id", id);
    return bx_finish(&b);
}

char *bucket_xml_logging_build(const char *target_bucket, const char *target_prefix)
{
    struct bx b;
    bx_start(&b, "BucketLoggingStatus");
    if (target_bucket) {
        xmlNodePtr on = bx_el(&b, b.root, "LoggingEnabled", NULL);
        bx_el(&b, on, "TargetBucket", target_bucket);
        bx_el(&b, on, "TargetPrefix", target_prefix ? target_prefix : "");
    }
    return bx_finish(&b);
}

char *bucket_xml_tagging_build(const struct cty_value *tags)
{
    struct bx b;
    bx_start(&b, "Tagging");
    xmlNodePtr set = bx_el(&b, b.root, "TagSet", NULL);
    for (size_t i = 0; tags && !cty_value_is_null(tags) && i < cty_value_length(tags); i++) {
        const char *v = cty_value_string(cty_value_index(tags, i));
        xmlNodePtr tag = bx_el(&b, set, "Tag", NULL);
        bx_el(&b, tag, "Key", cty_value_map_key(tags, i));
        bx_el(&b, tag, "Value", v ? v : "");
    }
    return bx_finish(&b);
}

char *bucket_xml_public_access_block_build(void)
{
    static const char *const settings[] = {"BlockPublicAcls", "IgnorePublicAcls",
                                           "BlockPublicPolicy", "RestrictPublicBuckets"};
    struct bx b;
    bx_start(&b, "PublicAccessBlockConfiguration");
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
        bx_el(&b, b.root, settings[i], "true");
    return bx_finish(&b);
}

char *bucket_xml_ownership_build(const char *object_ownership)
{
    if (!object_ownership)
        return NULL;
    struct bx b;
    bx_start(&b, "OwnershipControls");
    bx_el(&b, bx_el(&b, b.root, "Rule", NULL), "ObjectOwnership", object_ownership);
    return bx_finish(&b);
}

char *bucket_xml_create_build(const char *region)
{
    if (!region)
        return NULL;
    struct bx b;
    bx_start(&b, "CreateBucketConfiguration");
    bx_el(&b, b.root, "LocationConstraint", region);
    return bx_finish(&b);
}

char *bucket_xml_delete_build(const struct bucket_object_version *items, size_t n)
{
    if (!items || n == 0)
        return NULL;
    struct bx b;
    bx_start(&b, "Delete");
    for (size_t i = 0; !b.failed && i < n; i++) {
        xmlNodePtr o = bx_el(&b, b.root, "Object", NULL);
        bx_el(&b, o, "Key", items[i].key);
        if (items[i].version_id)
            bx_el(&b, o, "VersionId", items[i].version_id);
    }
    bx_el(&b, b.root, "Quiet", "true");
    return bx_finish(&b);
}

/* ---- reading ---- */

static const xmlNode *xr_root(const xmlDoc *doc)
{
    return doc ? xmlDocGetRootElement((xmlDoc *)doc) : NULL;
}

/* The first element at or after `n` (a sibling chain) named `name`. */
static const xmlNode *xr_next(const xmlNode *n, const char *name)
{
    for (; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
            return n;
    return NULL;
}

#define XR_EACH(var, parent, name)                                                           \
    for (const xmlNode *var = (parent) ? xr_next((parent)->children, (name)) : NULL; var;    \
         var = xr_next(var->next, (name)))

/* Text of the child `name` of `parent` (malloc'd), NULL when absent. */
static char *xr_text(const xmlNode *parent, const char *name)
{
    return parent ? aws_xml_find_text(parent, name) : NULL;
}

static bool xr_is_true(const xmlNode *parent, const char *name)
{
    char *t = xr_text(parent, name);
    bool yes = t && strcmp(t, "true") == 0;
    free(t);
    return yes;
}

/* Whole number text of 1 to 18 digits, optionally signed. */
static bool xr_int(const char *text, int64_t *out)
{
    if (!text)
        return false;
    const char *p = text + (*text == '-');
    size_t n = strspn(p, "0123456789");
    if (n == 0 || n > 18 || p[n] != '\0')
        return false;
    *out = strtoll(text, NULL, 10);
    return true;
}

/* The list(string) attribute `attr` of `obj` from every child `name` of
 * `rule`; when there is none, null or (when `prior` holds an empty list
 * there) an empty list. 0 or -1. */
static int xr_strings(struct cty_value *obj, const char *attr, const xmlNode *rule,
                      const char *name, const struct cty_value *prior)
{
    struct cty_type *obj_t = cty_value_type(obj);
    long idx = cty_type_attr_index(obj_t, attr);
    if (idx < 0)
        return 0;
    struct cty_type *list_t = cty_type_attr_type(obj_t, (size_t)idx);
    struct cty_value *list = cty_collection_new(list_t);
    size_t n = 0;
    XR_EACH(e, rule, name)
    {
        xmlChar *content = xmlNodeGetContent(e);
        struct cty_value *s = content ? cty_string_new((const char *)content) : NULL;
        xmlFree(content);
        if (!list || !s || cty_collection_append(list, s) != 0) {
            cty_value_destroy(list);
            return -1;
        }
        n++;
    }
    if (!list)
        return -1;
    const struct cty_value *was = prior ? cty_value_attr(prior, attr) : NULL;
    if (n == 0 && !(was && cty_value_is_known(was) && !cty_value_is_null(was) &&
                    cty_value_length(was) == 0)) {
        cty_value_destroy(list);
        list = cty_null_new(list_t);
    }
    return list ? cty_object_set(obj, attr, list) : -1;
}

struct cty_value *bucket_xml_cors_read(const xmlDoc *doc, struct cty_type *list_type,
                                       const struct cty_value *prior)
{
    struct cty_type *obj_t = cty_type_element(list_type);
    struct cty_value *list = cty_collection_new(list_type);
    size_t i = 0;
    XR_EACH(rule, xr_root(doc), "CORSRule")
    {
        const struct cty_value *was =
            prior && cty_value_is_known(prior) && !cty_value_is_null(prior) &&
                    i < cty_value_length(prior)
                ? cty_value_index(prior, i)
                : NULL;
        struct cty_value *obj = list ? cty_object_new(obj_t) : NULL;
        if (!obj || cty_collection_append(list, obj) != 0)
            goto fail;
        if (xr_strings(obj, "allowed_origins", rule, "AllowedOrigin", was) != 0 ||
            xr_strings(obj, "allowed_methods", rule, "AllowedMethod", was) != 0 ||
            xr_strings(obj, "allowed_headers", rule, "AllowedHeader", was) != 0 ||
            xr_strings(obj, "expose_headers", rule, "ExposeHeader", was) != 0)
            goto fail;
        char *age_text = xr_text(rule, "MaxAgeSeconds");
        int64_t age;
        bool has_age = xr_int(age_text, &age);
        free(age_text);
        if (has_age && cty_object_set(obj, "max_age_seconds", cty_number_new_int(age)) != 0)
            goto fail;
        i++;
    }
    return list;
fail:
    cty_value_destroy(list);
    return NULL;
}

/* The prefix a rule applies to, as lifecycle_rules holds it: the Filter's
 * Prefix, the old rule-level Prefix, "" for a rule without either; NULL
 * (malloc failure aside) when the filter also selects by tag or size. */
static char *xr_lifecycle_prefix(const xmlNode *rule, bool *expressible)
{
    const xmlNode *filter = xr_next(rule->children, "Filter");
    *expressible = true;
    if (filter) {
        for (const xmlNode *c = filter->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "Prefix") != 0)
                *expressible = false;
        if (!*expressible)
            return NULL;
        char *p = xr_text(filter, "Prefix");
        return p ? p : strdup("");
    }
    char *p = xr_text(rule, "Prefix");
    return p ? p : strdup("");
}

struct cty_value *bucket_xml_lifecycle_read(const xmlDoc *doc, struct cty_type *list_type)
{
    struct cty_type *obj_t = cty_type_element(list_type);
    struct cty_value *list = cty_collection_new(list_type);
    XR_EACH(rule, xr_root(doc), "Rule")
    {
        char *status = xr_text(rule, "Status");
        bool enabled = status && strcmp(status, "Enabled") == 0;
        free(status);
        if (!enabled)
            continue; /* a disabled rule expires nothing */
        bool expressible;
        char *prefix = xr_lifecycle_prefix(rule, &expressible);
        char *days_text = xr_text(xr_next(rule->children, "Expiration"), "Days");
        int64_t days;
        bool has_days = xr_int(days_text, &days);
        free(days_text);
        struct cty_value *obj = list ? cty_object_new(obj_t) : NULL;
        bool failed = !obj || cty_collection_append(list, obj) != 0 ||
                      (expressible && (!prefix || cty_object_set(obj, "prefix",
                                                                 cty_string_new(prefix)) != 0)) ||
                      (has_days &&
                       cty_object_set(obj, "expiration_days", cty_number_new_int(days)) != 0);
        free(prefix);
        if (failed) {
            cty_value_destroy(list);
            return NULL;
        }
    }
    return list;
}

bool bucket_xml_public_access_blocked(const xmlDoc *doc)
{
    const xmlNode *root = xr_root(doc);
    return root && xr_is_true(root, "BlockPublicAcls") && xr_is_true(root, "IgnorePublicAcls") &&
           xr_is_true(root, "BlockPublicPolicy") && xr_is_true(root, "RestrictPublicBuckets");
}

char *bucket_xml_ownership_read(const xmlDoc *doc)
{
    const xmlNode *rule = xr_next(xr_root(doc) ? xr_root(doc)->children : NULL, "Rule");
    return rule ? xr_text(rule, "ObjectOwnership") : NULL;
}

int bucket_xml_logging_read(const xmlDoc *doc, char **target_bucket, char **target_prefix)
{
    *target_bucket = *target_prefix = NULL;
    const xmlNode *on = xr_next(xr_root(doc) ? xr_root(doc)->children : NULL, "LoggingEnabled");
    if (!on)
        return 0;
    *target_bucket = xr_text(on, "TargetBucket");
    *target_prefix = xr_text(on, "TargetPrefix");
    if (!*target_prefix)
        *target_prefix = strdup("");
    if (!*target_bucket || !*target_prefix) {
        free(*target_bucket);
        free(*target_prefix);
        *target_bucket = *target_prefix = NULL;
        /* LoggingEnabled without a target is not something S3 answers;
         * reading it as "off" shows the configured target as a change. */
        return 0;
    }
    return 0;
}

struct cty_value *bucket_xml_tags_read(const xmlDoc *doc, struct cty_type *map_type)
{
    struct cty_value *map = cty_collection_new(map_type);
    const xmlNode *set = xr_next(xr_root(doc) ? xr_root(doc)->children : NULL, "TagSet");
    XR_EACH(tag, set, "Tag")
    {
        char *k = xr_text(tag, "Key"), *v = xr_text(tag, "Value");
        if (!k) { /* S3 never answers a tag without a key: nothing to read */
            free(v);
            continue;
        }
        int rc = !map || cty_map_put(map, k, cty_string_new(v ? v : "")) != 0;
        free(k);
        free(v);
        if (rc) {
            cty_value_destroy(map);
            return NULL;
        }
    }
    return map;
}

bool bucket_xml_metrics_whole_bucket(const xmlDoc *doc)
{
    const xmlNode *root = xr_root(doc);
    return root && xr_next(root->children, "Id") && !xr_next(root->children, "Filter");
}

int bucket_xml_metrics_list_read(const xmlDoc *doc, char **whole_id, char **next)
{
    *next = NULL;
    const xmlNode *root = xr_root(doc);
    XR_EACH(config, root, "MetricsConfiguration")
    {
        if (xr_next(config->children, "Filter"))
            continue;
        char *id = xr_text(config, "Id");
        if (!id)
            continue;
        if (!*whole_id || (strcmp(id, "EntireBucket") == 0 &&
                           strcmp(*whole_id, "EntireBucket") != 0)) {
            free(*whole_id);
            *whole_id = id;
        } else {
            free(id);
        }
    }
    if (root && xr_is_true(root, "IsTruncated")) {
        *next = xr_text(root, "NextContinuationToken");
        if (*next && !**next) {
            free(*next);
            *next = NULL;
        }
    }
    return 0;
}

int bucket_xml_versions_page_read(const xmlDoc *doc, struct bucket_versions_page *page)
{
    const xmlNode *root = xr_root(doc);
    size_t count = 0;
    for (const xmlNode *c = root ? root->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && (strcmp((const char *)c->name, "Version") == 0 ||
                                            strcmp((const char *)c->name, "DeleteMarker") == 0))
            count++;
    page->items = count ? calloc(count, sizeof *page->items) : NULL;
    if (count && !page->items)
        return -1;
    for (const xmlNode *c = root ? root->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || (strcmp((const char *)c->name, "Version") != 0 &&
                                            strcmp((const char *)c->name, "DeleteMarker") != 0))
            continue;
        char *key = xr_text(c, "Key");
        if (!key || !*key) {
            free(key); /* S3 never lists an object without a key */
            continue;
        }
        struct bucket_object_version *item = &page->items[page->n++];
        item->key = key;
        item->version_id = xr_text(c, "VersionId");
    }
    page->truncated = root && xr_is_true(root, "IsTruncated");
    page->next_key_marker = xr_text(root, "NextKeyMarker");
    page->next_version_marker = xr_text(root, "NextVersionIdMarker");
    return 0;
}

void bucket_xml_versions_page_clean_up(struct bucket_versions_page *page)
{
    for (size_t i = 0; i < page->n; i++) {
        free(page->items[i].key);
        free(page->items[i].version_id);
    }
    free(page->items);
    free(page->next_key_marker);
    free(page->next_version_marker);
    *page = (struct bucket_versions_page){0};
}

int bucket_xml_list_page_read(const xmlDoc *doc, struct bucket_list_page *page)
{
    const xmlNode *buckets = aws_xml_child(xr_root(doc), "Buckets");
    size_t count = 0;
    XR_EACH(b, buckets, "Bucket")
        count++;
    page->items = count ? calloc(count, sizeof *page->items) : NULL;
    if (count && !page->items)
        return -1;
    XR_EACH(b, buckets, "Bucket")
    {
        char *name = xr_text(b, "Name");
        if (!name || !*name) {
            free(name);
            continue;
        }
        struct bucket_list_item *item = &page->items[page->n++];
        item->name = name;
        item->region = xr_text(b, "BucketRegion");
    }
    char *token = xr_text(xr_root(doc), "ContinuationToken");
    if (token && !*token) {
        free(token);
        token = NULL;
    }
    page->continuation_token = token;
    return 0;
}

void bucket_xml_list_page_clean_up(struct bucket_list_page *page)
{
    for (size_t i = 0; i < page->n; i++) {
        free(page->items[i].name);
        free(page->items[i].region);
    }
    free(page->items);
    free(page->continuation_token);
    *page = (struct bucket_list_page){0};
}

size_t bucket_xml_delete_errors(const xmlDoc *doc, char **first)
{
    size_t n = 0;
    *first = NULL;
    XR_EACH(e, xr_root(doc), "Error")
    {
        if (n++ > 0)
            continue;
        char *key = xr_text(e, "Key"), *code = xr_text(e, "Code"), *msg = xr_text(e, "Message");
        size_t len = strlen(key ? key : "") + strlen(code ? code : "") +
                     strlen(msg ? msg : "") + 8;
        *first = malloc(len);
        if (*first)
            snprintf(*first, len, "%s: %s: %s", key ? key : "", code ? code : "Error",
                     msg ? msg : "");
        free(key);
        free(code);
        free(msg);
    }
    return n;
}
