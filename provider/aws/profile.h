/*
 * profile.h - reads one profile from the AWS shared config and credentials
 * files (INI format).
 *
 * In a config file a profile is `[default]` or `[profile NAME]`; in a
 * credentials file it is `[NAME]`. Keys are matched case-insensitively,
 * `#` and `;` start comment lines, indented lines continue a nested block
 * (for example `s3 =`) and are ignored. Files that do not exist are skipped.
 * When several files hold the same key, the later file wins; the credentials
 * files win over the config files for the same key.
 */
#ifndef LSMS_AWS_PROFILE_H
#define LSMS_AWS_PROFILE_H

#include <stddef.h>

#include "aws/message.h"

struct aws_profile {
    /* key/value pairs of the profile; keys lower-cased. Values are wiped on
     * clean-up (they include secret keys). */
    struct aws_headers values;
    int found; /* 1 when some file had the section */
};

/* Loads `name` from the files (either list may be empty). 0, or -1 on no
 * memory. A missing profile is not an error: found stays 0. */
int aws_profile_load(struct aws_profile *out, const char *name, const char *const *config_files,
                     size_t config_count, const char *const *credentials_files,
                     size_t credentials_count);
/* Borrowed value of `key` or NULL. */
const char *aws_profile_get(const struct aws_profile *p, const char *key);
void aws_profile_clean_up(struct aws_profile *p);

#endif
