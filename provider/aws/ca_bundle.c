#include "aws/ca_bundle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const ca_files[] = {
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
};

static const char *const ca_dirs[] = {
    "/etc/ssl/certs",
    "/etc/pki/tls/certs",
};

/* root + path when it exists as a regular file (want_dir 0) or a
 * directory (want_dir 1), malloc'd; NULL otherwise (*oom set when memory ran
 * out). stat() follows symbolic links: Alpine's /etc/ssl/cert.pem is one. */
static char *existing(const char *root, const char *path, int want_dir, int *oom)
{
    size_t n = strlen(root) + strlen(path) + 1;
    char *full = malloc(n);
    if (!full) {
        *oom = 1;
        return NULL;
    }
    snprintf(full, n, "%s%s", root, path);
    struct stat st;
    if (stat(full, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)))
        return full;
    free(full);
    return NULL;
}

int aws_ca_location_find(const char *root, struct aws_ca_location *out)
{
    int oom = 0;
    if (!root)
        root = "";
    const char *env_file = getenv("SSL_CERT_FILE");
    const char *env_dir = getenv("SSL_CERT_DIR");
    if (env_file && *env_file) {
        if (!(out->file = strdup(env_file)))
            oom = 1;
    } else {
        for (size_t i = 0; !out->file && !oom && i < sizeof(ca_files) / sizeof(*ca_files); i++)
            out->file = existing(root, ca_files[i], 0, &oom);
    }
    if (env_dir && *env_dir) {
        if (!(out->dir = strdup(env_dir)))
            oom = 1;
    } else if (!out->file) {
        for (size_t i = 0; !out->dir && !oom && i < sizeof(ca_dirs) / sizeof(*ca_dirs); i++)
            out->dir = existing(root, ca_dirs[i], 1, &oom);
    }
    if (oom) {
        aws_ca_location_clean_up(out);
        return -1;
    }
    return 0;
}

void aws_ca_location_clean_up(struct aws_ca_location *loc)
{
    free(loc->file);
    free(loc->dir);
    loc->file = loc->dir = NULL;
}
