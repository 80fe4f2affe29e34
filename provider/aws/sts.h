/*
 * sts.h - the two STS operations the provider needs (query protocol).
 */
#ifndef LSMS_AWS_STS_H
#define LSMS_AWS_STS_H

#include "aws/client.h"

/*
 * GetCallerIdentity: validates the client's credentials. On success sets
 * *account_id and *arn (either pointer may be NULL; malloc'd, caller frees).
 * -1 with err (AWS code, e.g. InvalidClientTokenId) on failure.
 */
int aws_sts_get_caller_identity(struct aws_client *c, char **account_id, char **arn,
                                struct aws_error *err);

/*
 * AssumeRole with the client's base credentials (never with previously
 * assumed ones). Fills `out` (zeroed by the caller) with the temporary
 * credentials and their expiration. -1 with err on failure.
 */
int aws_sts_assume_role(struct aws_client *c, const struct aws_assume_role_config *cfg,
                        struct aws_credentials *out, struct aws_error *err);

#endif
