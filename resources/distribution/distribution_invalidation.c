/*
 * distribution_invalidation.c - invalidation documents. See
 * distribution_invalidation.h.
 */
#include "resources/distribution/distribution_invalidation.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"
#include "resources/distribution/distribution_config.h"

const char *distribution_invalidation_path_problem(const char *path)
{
    if (!path || path[0] != '/')
        return "an invalidation path starts with '/', such as /stream/index.m3u8 or /stream/*";
    if (strlen(path) > DISTRIBUTION_INVALIDATION_MAX_PATH_LEN)
        return "an invalidation path holds at most 4000 characters";
    const char *star = strchr(path, '*');
    if (star && star[1] != '\0')
        return "a wildcard '*' may only end an invalidation path (/stream/*, not /*.m3u8)";
    for (const char *p = path; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return "an invalidation path holds no control characters";
    return NULL;
}

char *distribution_invalidation_batch_xml_new(const char *const *paths, size_t n,
                                              const char *caller_reference, size_t *len)
{
    if (n == 0 || !caller_reference || !*caller_reference)
        return NULL;
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = doc ? xmlNewDocNode(doc, NULL, BAD_CAST "InvalidationBatch", NULL) : NULL;
    xmlNsPtr ns = root ? xmlNewNs(root, BAD_CAST DISTRIBUTION_CONFIG_XMLNS, NULL) : NULL;
    char quantity[32];
    snprintf(quantity, sizeof quantity, "%zu", n);
    bool failed = !doc || !root || !ns;
    if (!failed) {
        xmlSetNs(root, ns);
        xmlDocSetRootElement(doc, root);
        xmlNodePtr p = xmlNewChild(root, ns, BAD_CAST "Paths", NULL);
        xmlNodePtr items = p ? xmlNewChild(p, ns, BAD_CAST "Items", NULL) : NULL;
        /* Quantity precedes Items in the model's member order. */
        xmlNodePtr q = p ? xmlNewTextChild(p, ns, BAD_CAST "Quantity", BAD_CAST quantity) : NULL;
        failed = !p || !items || !q || !xmlAddPrevSibling(items, q);
        for (size_t i = 0; !failed && i < n; i++)
            failed = !xmlNewTextChild(items, ns, BAD_CAST "Path", BAD_CAST paths[i]);
        failed = failed || !xmlNewTextChild(root, ns, BAD_CAST "CallerReference",
                                            BAD_CAST caller_reference);
    } else if (root && !ns) {
        xmlFreeNode(root);
    }
    xmlChar *mem = NULL;
    int size = 0;
    if (!failed)
        xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
    xmlFreeDoc(doc);
    char *text = mem && size >= 0 ? malloc((size_t)size + 1) : NULL;
    if (text) {
        memcpy(text, mem, (size_t)size);
        text[size] = '\0';
        if (len)
            *len = (size_t)size;
    }
    xmlFree(mem);
    return text;
}

int distribution_invalidation_read(const xmlDoc *doc, char **id, char **status)
{
    *id = *status = NULL;
    const xmlNode *root = doc ? xmlDocGetRootElement((xmlDoc *)doc) : NULL;
    if (!root || strcmp((const char *)root->name, "Invalidation") != 0)
        return -1;
    *id = aws_xml_find_text(root, "Id");
    *status = aws_xml_find_text(root, "Status");
    if (!*id || !**id) {
        free(*id);
        free(*status);
        *id = *status = NULL;
        return -1;
    }
    return 0;
}
