#include "aws/sts.h"

#include <libxml/parser.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/protocol_query.h"
#include "aws/xml.h"

int aws_sts_get_caller_identity(struct aws_client *c, char **account_id, char **arn,
                                struct aws_error *err)
{
    xmlDoc *doc = NULL;
    if (aws_query_call(c, "sts", "GetCallerIdentity", NULL, &doc, err))
        return -1;
    xmlNode *result =
        aws_xml_find(xmlDocGetRootElement(doc), "GetCallerIdentityResponse/GetCallerIdentityResult");
    char *acct = aws_xml_find_text(result, "Account");
    int rc = 0;
    if (!acct || !*acct) {
        rc = aws_error_set(err, AWS_ERR_BAD_RESPONSE, "GetCallerIdentity returned no Account", 200,
                           NULL);
    } else {
        if (account_id) {
            *account_id = acct;
            acct = NULL;
        }
        if (arn)
            *arn = aws_xml_find_text(result, "Arn");
    }
    free(acct);
    xmlFreeDoc(doc);
    return rc;
}

/* "2015-08-30T12:36:00Z" (optionally with fractional seconds) -> time_t. */
static time_t parse_iso8601(const char *s)
{
    struct tm tm = {0};
    if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%S", &tm))
        return 0;
    return timegm(&tm);
}

int aws_sts_assume_role(struct aws_client *c, const struct aws_credentials *from,
                        const struct aws_assume_role_config *cfg, struct aws_credentials *out,
                        struct aws_error *err)
{
    char duration[16];
    snprintf(duration, sizeof(duration), "%d", cfg->duration_seconds > 0 ? cfg->duration_seconds : 3600);
    const char *params[] = {"RoleArn", cfg->role_arn,
                            "RoleSessionName", cfg->session_name ? cfg->session_name : "terraform-provider-lsms",
                            "DurationSeconds", duration,
                            cfg->external_id ? "ExternalId" : NULL, cfg->external_id,
                            NULL};
    struct aws_request req = {0};
    struct aws_response resp = {0};
    struct aws_call call = {.service = "sts",
                            .operation = "AssumeRole",
                            .parse_error = aws_query_error_parse,
                            .credentials = from};
    int rc = -1;
    xmlDoc *doc = NULL;
    char *id = NULL, *secret = NULL, *token = NULL, *exp = NULL;
    if (aws_query_request_build("AssumeRole", "2011-06-15", params, &req)) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
        goto done;
    }
    if (aws_client_send(c, &call, &req, &resp, err))
        goto done;
    doc = aws_xml_parse(resp.body.data, resp.body.len);
    xmlNode *cr = aws_xml_find(doc ? xmlDocGetRootElement(doc) : NULL,
                               "AssumeRoleResponse/AssumeRoleResult/Credentials");
    id = aws_xml_find_text(cr, "AccessKeyId");
    secret = aws_xml_find_text(cr, "SecretAccessKey");
    token = aws_xml_find_text(cr, "SessionToken");
    exp = aws_xml_find_text(cr, "Expiration");
    if (!id || !secret || !*id || !*secret) {
        aws_error_set(err, AWS_ERR_BAD_RESPONSE, "AssumeRole returned no credentials", resp.status,
                      aws_response_request_id(&resp));
        goto done;
    }
    if (aws_credentials_init(out, id, secret, token, parse_iso8601(exp), "assume_role")) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
        goto done;
    }
    rc = 0;
done:
    free(id);
    if (secret) {
        OPENSSL_cleanse(secret, strlen(secret));
        free(secret);
    }
    if (token) {
        OPENSSL_cleanse(token, strlen(token));
        free(token);
    }
    free(exp);
    /* The parsed document holds the secret too. */
    xmlFreeDoc(doc);
    aws_request_clean_up(&req);
    aws_response_clean_up(&resp);
    return rc;
}
