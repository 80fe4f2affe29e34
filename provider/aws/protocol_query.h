/*
 * protocol_query.h - the awsQuery protocol (IAM, STS; CloudWatch can use it
 * too): form-encoded POST / with Action= and Version=, XML answers.
 *
 * Example:
 *     const char *params[] = {"RoleName", "lsms-role", NULL};
 *     xmlDoc *doc = NULL;
 *     if (aws_query_call(client, "iam", "GetRole", params, &doc, &err)) ...
 *     char *arn = aws_xml_find_text(xmlDocGetRootElement(doc), "GetRoleResponse/GetRoleResult/Role/Arn");
 */
#ifndef LSMS_AWS_PROTOCOL_QUERY_H
#define LSMS_AWS_PROTOCOL_QUERY_H

#include <libxml/tree.h>

#include "aws/engine.h"

/*
 * Calls `action` of `service` with `params`, a NULL-terminated array of
 * name, value pairs (names like "Tags.member.1.Key"; values raw, encoded
 * here; may be NULL for none). On success *out is the parsed answer, owned
 * by the caller (xmlFreeDoc). -1 with err otherwise.
 */
int aws_query_call(struct aws_client *c, const char *service, const char *action,
                   const char *const *params, xmlDoc **out, struct aws_error *err);

/* Builds the unsigned request for `version`. 0 or -1. */
int aws_query_request_build(const char *action, const char *version, const char *const *params,
                            struct aws_request *req);

/* Error from <ErrorResponse><Error><Code/><Message/></Error><RequestId/>. */
void aws_query_error_parse(const struct aws_response *resp, struct aws_error *err);

#endif
