/*
 * xml.h - small libxml2 helpers for query and rest-xml answers.
 * Elements are matched by local name, so namespaces do not get in the way.
 */
#ifndef LSMS_AWS_XML_H
#define LSMS_AWS_XML_H

#include <libxml/tree.h>
#include <stddef.h>

/* Parses an answer without network access or entity expansion. NULL when it
 * is not XML. The caller frees with xmlFreeDoc. */
xmlDoc *aws_xml_parse(const char *data, size_t len);

/* Initialises libxml2 once for the process (thread-safe, idempotent). Code
 * that parses with libxml2 directly calls it first; aws_xml_parse does. */
void aws_xml_init(void);
/* First element child of `parent` with local name `name`, or NULL. */
xmlNode *aws_xml_child(const xmlNode *parent, const char *name);
/* Follows a '/'-separated path of child names from `node` ("Error/Code");
 * the first name may match `node` itself. NULL when absent. */
xmlNode *aws_xml_find(const xmlNode *node, const char *path);
/* Text content of the element at `path` below `node` (malloc'd; caller
 * frees), or NULL when absent. */
char *aws_xml_find_text(const xmlNode *node, const char *path);

#endif
