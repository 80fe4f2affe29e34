/*
 * json_equal.c - semantic JSON comparison and normalisation (see json_equal.h).
 */
#include "util/json_equal.h"

#include <stdlib.h>
#include <string.h>

/* Comparison modes: plain JSON, or IAM policy equivalences. */
enum json_mode { JSON_MODE_EXACT, JSON_MODE_POLICY };

static bool json_node_equal(const cJSON *a, const cJSON *b, enum json_mode mode);

static int json_array_size(const cJSON *a)
{
    return cJSON_GetArraySize(a);
}

/* Arrays in order (plain JSON). */
static bool json_array_equal_ordered(const cJSON *a, const cJSON *b, enum json_mode mode)
{
    if (json_array_size(a) != json_array_size(b))
        return false;
    const cJSON *x = a->child, *y = b->child;
    for (; x && y; x = x->next, y = y->next)
        if (!json_node_equal(x, y, mode))
            return false;
    return x == NULL && y == NULL;
}

/* Arrays as multisets: every element of a is matched to a distinct equal
 * element of b. Quadratic, which is fine for policy-sized documents. */
static bool json_array_equal_unordered(const cJSON *a, const cJSON *b, enum json_mode mode)
{
    int n = json_array_size(a);
    if (n != json_array_size(b))
        return false;
    if (n == 0)
        return true;
    bool *used = calloc((size_t)n, sizeof *used);
    if (!used)
        return false;
    bool ok = true;
    for (const cJSON *x = a->child; x && ok; x = x->next) {
        ok = false;
        int i = 0;
        for (const cJSON *y = b->child; y; y = y->next, i++) {
            if (!used[i] && json_node_equal(x, y, mode)) {
                used[i] = true;
                ok = true;
                break;
            }
        }
    }
    free(used);
    return ok;
}

/* Same key set and equal values; key order ignored. Duplicate keys are
 * compared by their first occurrence, as cJSON lookups do. */
static bool json_object_equal(const cJSON *a, const cJSON *b, enum json_mode mode)
{
    if (json_array_size(a) != json_array_size(b))
        return false;
    for (const cJSON *x = a->child; x; x = x->next) {
        const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);
        if (!y || !json_node_equal(x, y, mode))
            return false;
    }
    return true;
}

/* Principal "*" is shorthand for {"AWS": "*"} in IAM. */
static bool json_principal_star_equal(const cJSON *star, const cJSON *obj)
{
    if (!cJSON_IsString(star) || strcmp(star->valuestring, "*") != 0 || !cJSON_IsObject(obj))
        return false;
    if (json_array_size(obj) != 1)
        return false;
    const cJSON *aws = cJSON_GetObjectItemCaseSensitive(obj, "AWS");
    if (!aws)
        return false;
    if (cJSON_IsArray(aws))
        return json_array_size(aws) == 1 && cJSON_IsString(aws->child) &&
               strcmp(aws->child->valuestring, "*") == 0;
    return cJSON_IsString(aws) && strcmp(aws->valuestring, "*") == 0;
}

static bool json_node_equal(const cJSON *a, const cJSON *b, enum json_mode mode)
{
    if (!a || !b)
        return a == b;
    if (mode == JSON_MODE_POLICY) {
        /* A scalar or object equals a one-element array holding it. */
        if (cJSON_IsArray(a) && !cJSON_IsArray(b))
            return json_array_size(a) == 1 && json_node_equal(a->child, b, mode);
        if (cJSON_IsArray(b) && !cJSON_IsArray(a))
            return json_array_size(b) == 1 && json_node_equal(a, b->child, mode);
        if (a->string && strcmp(a->string, "Principal") == 0 &&
            (json_principal_star_equal(a, b) || json_principal_star_equal(b, a)))
            return true;
    }
    if ((a->type & 0xFF) != (b->type & 0xFF))
        return false;
    switch (a->type & 0xFF) {
    case cJSON_NULL:
    case cJSON_True:
    case cJSON_False:
        return true;
    case cJSON_Number:
        return a->valuedouble == b->valuedouble;
    case cJSON_String:
        return strcmp(a->valuestring, b->valuestring) == 0;
    case cJSON_Array:
        return mode == JSON_MODE_POLICY ? json_array_equal_unordered(a, b, mode)
                                        : json_array_equal_ordered(a, b, mode);
    case cJSON_Object:
        return json_object_equal(a, b, mode);
    default:
        return false;
    }
}

bool json_tree_equal(const cJSON *a, const cJSON *b)
{
    return json_node_equal(a, b, JSON_MODE_EXACT);
}

static bool json_text_equal(const char *a, const char *b, enum json_mode mode)
{
    if (!a || !b)
        return false;
    cJSON *ta = cJSON_Parse(a);
    cJSON *tb = cJSON_Parse(b);
    bool eq = ta && tb && json_node_equal(ta, tb, mode);
    cJSON_Delete(ta);
    cJSON_Delete(tb);
    return eq;
}

bool json_equal(const char *a, const char *b)
{
    return json_text_equal(a, b, JSON_MODE_EXACT);
}

bool json_policy_equal(const char *a, const char *b)
{
    return json_text_equal(a, b, JSON_MODE_POLICY);
}

/* Stable insertion sort of one object's member list by key. */
static void json_object_sort(cJSON *obj)
{
    cJSON *sorted = NULL; /* head of the sorted list; ->prev of head is its tail, as in cJSON */
    cJSON *item = obj->child;
    while (item) {
        cJSON *next = item->next;
        item->next = item->prev = NULL;
        if (!sorted || strcmp(item->string, sorted->string) < 0) {
            item->next = sorted;
            sorted = item;
        } else {
            cJSON *at = sorted;
            while (at->next && strcmp(at->next->string, item->string) <= 0)
                at = at->next;
            item->next = at->next;
            at->next = item;
        }
        item = next;
    }
    /* Restore cJSON's prev links: each node's prev is its predecessor, and the
     * head's prev is the tail (cJSON relies on it to append). */
    cJSON *prev = NULL;
    for (cJSON *it = sorted; it; it = it->next) {
        it->prev = prev;
        prev = it;
    }
    if (sorted)
        sorted->prev = prev;
    obj->child = sorted;
}

void json_tree_sort_keys(cJSON *tree)
{
    if (!tree)
        return;
    if (cJSON_IsObject(tree))
        json_object_sort(tree);
    for (cJSON *c = tree->child; c; c = c->next)
        json_tree_sort_keys(c);
}

char *json_normalize(const char *json)
{
    if (!json)
        return NULL;
    cJSON *tree = cJSON_Parse(json);
    if (!tree)
        return NULL;
    json_tree_sort_keys(tree);
    char *out = cJSON_PrintUnformatted(tree);
    cJSON_Delete(tree);
    return out;
}
