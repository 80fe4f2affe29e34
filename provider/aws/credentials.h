/*
 * credentials.h - AWS credentials and the chain that finds them.
 *
 * Order (first complete set wins), as design.md §2.3 and the Terraform AWS
 * provider document it:
 *   1. explicit access_key/secret_key[/token] from the provider block;
 *   2. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN];
 *   3. the shared credentials and config files for `profile` (else
 *      AWS_PROFILE, else "default").
 * Assuming a role on top of these is done by the client through STS
 * (aws/sts.h), because it needs a signed call. The EC2 metadata service is
 * deliberately not part of the chain and is never contacted.
 *
 * Secrets (secret key, session token) are wiped with OPENSSL_cleanse when a
 * struct aws_credentials is cleaned up, and never appear in errors or logs.
 */
#ifndef LSMS_AWS_CREDENTIALS_H
#define LSMS_AWS_CREDENTIALS_H

#include <stddef.h>
#include <time.h>

#include "aws/error.h"

struct aws_credentials {
    char *access_key_id;     /* owned */
    char *secret_access_key; /* owned, secret */
    char *session_token;     /* owned, secret, NULL when none */
    time_t expiration;       /* 0 when the credentials do not expire */
    const char *source;      /* static text naming where they came from, for logs */
};

/* Where to look; every member may be NULL/0. Borrowed by the resolver. */
struct aws_credentials_config {
    const char *access_key; /* provider `access_key` */
    const char *secret_key; /* provider `secret_key` */
    const char *token;      /* provider `token` */
    const char *profile;    /* provider `profile`; NULL: AWS_PROFILE, else "default" */
    /* Provider `shared_config_files` / `shared_credentials_files`. When
     * absent: AWS_CONFIG_FILE (else ~/.aws/config) and
     * AWS_SHARED_CREDENTIALS_FILE (else ~/.aws/credentials). Later files
     * override earlier ones. */
    const char *const *config_files;
    size_t config_files_count;
    const char *const *credentials_files;
    size_t credentials_files_count;
};

/*
 * Resolves credentials along the chain into `out` (which must be zeroed or
 * cleaned). 0 on success; -1 with err->code AWS_ERR_CREDENTIALS when nothing
 * was found or a source was incomplete (for example a key id without secret),
 * AWS_ERR_NO_MEMORY when memory ran out.
 */
int aws_credentials_resolve(const struct aws_credentials_config *cfg, struct aws_credentials *out,
                            struct aws_error *err);

/*
 * The `region` of the selected profile in the shared config files, or NULL.
 * Malloc'd; caller frees.
 */
char *aws_credentials_profile_region(const struct aws_credentials_config *cfg);

/* Sets `c` to copies of the arguments (token may be NULL). 0 or -1. */
int aws_credentials_init(struct aws_credentials *c, const char *access_key_id,
                         const char *secret_access_key, const char *session_token,
                         time_t expiration, const char *source);
/* Deep copy. 0 or -1 (dst left empty). */
int aws_credentials_copy(struct aws_credentials *dst, const struct aws_credentials *src);
/* Wipes and frees the secrets and the key id; leaves `c` zeroed. */
void aws_credentials_clean_up(struct aws_credentials *c);

#endif
