#include "aws/xml.h"

#include <libxml/parser.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* libxml2 must be initialised once before threads parse concurrently (RPCs
 * run on several worker threads). */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void aws_xml_init_once(void)
{
    xmlInitParser();
}

void aws_xml_init(void)
{
    pthread_once(&xml_once, aws_xml_init_once);
}

xmlDoc *aws_xml_parse(const char *data, size_t len)
{
    aws_xml_init();
    if (!data || !len)
        return NULL;
    return xmlReadMemory(data, (int)len, NULL, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

xmlNode *aws_xml_child(const xmlNode *parent, const char *name)
{
    if (!parent)
        return NULL;
    for (xmlNode *n = parent->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
            return n;
    return NULL;
}

xmlNode *aws_xml_find(const xmlNode *node, const char *path)
{
    if (!node || !path)
        return NULL;
    char *copy = strdup(path);
    if (!copy)
        return NULL;
    xmlNode *cur = (xmlNode *)node;
    char *save = NULL;
    int first = 1;
    for (char *part = strtok_r(copy, "/", &save); part && cur; part = strtok_r(NULL, "/", &save)) {
        if (first && strcmp((const char *)cur->name, part) == 0) {
            first = 0;
            continue;
        }
        first = 0;
        cur = aws_xml_child(cur, part);
    }
    free(copy);
    return cur;
}

char *aws_xml_find_text(const xmlNode *node, const char *path)
{
    xmlNode *n = aws_xml_find(node, path);
    if (!n)
        return NULL;
    xmlChar *content = xmlNodeGetContent(n);
    char *out = strdup(content ? (const char *)content : "");
    xmlFree(content);
    return out;
}
