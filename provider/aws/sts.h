/*
 * sts.h - the two STS operations the provider needs (query protocol).
 */
#ifndef LSMS_AWS_STS_H
#define LSMS_AWS_STS_H

#include "aws/engine.h"

struct aws_assume_role_config {
    const char *role_arn;     /* NULL or "": no role is assumed */
    const char *session_name; /* NULL: "terraform-provider-lsms" */
    const char *external_id;  /* optional */
    int duration_seconds;     /* 0: 3600 */
};

/*
 * GetCallerIdentity: validates the client's credentials. On success sets
 * *account_id and *arn (either pointer may be NULL; malloc'd, caller frees).
 * -1 with err (AWS code, e.g. InvalidClientTokenId) on failure.
 */
int aws_sts_get_caller_identity(struct aws_client *c, char **account_id, char **arn,
                                struct aws_error *err);

/*
 * AssumeRole signed with `from` (borrowed: the credentials the role is
 * assumed from, never previously assumed ones). Fills `out` (zeroed by the
 * caller) with the temporary credentials and their expiration. -1 with err
 * on failure.
 */
int aws_sts_assume_role(struct aws_client *c, const struct aws_credentials *from,
                        const struct aws_assume_role_config *cfg, struct aws_credentials *out,
                        struct aws_error *err);

#endif
