#include "aws/profile.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *trim(char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* 1 when the section header text (between the brackets, trimmed) names the
 * profile in this kind of file. */
static int section_matches(char *section, const char *name, int is_config)
{
    section = trim(section);
    if (!is_config)
        return strcmp(section, name) == 0;
    if (strcmp(name, "default") == 0 && strcmp(section, "default") == 0)
        return 1;
    if (strncmp(section, "profile", 7) == 0 && isspace((unsigned char)section[7]))
        return strcmp(trim(section + 8), name) == 0;
    return 0;
}

static int profile_load_file(struct aws_profile *out, const char *path, const char *name,
                             int is_config)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char *line = NULL;
    size_t cap = 0;
    int in_section = 0, rc = 0;
    while (getline(&line, &cap, f) >= 0) {
        if (line[0] == ' ' || line[0] == '\t')
            continue; /* nested block line */
        char *s = trim(line);
        if (!*s || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            char *end = strchr(s, ']');
            if (!end) {
                in_section = 0;
                continue;
            }
            *end = '\0';
            in_section = section_matches(s + 1, name, is_config);
            if (in_section)
                out->found = 1;
            continue;
        }
        char *eq = strchr(s, '=');
        if (!in_section || !eq)
            continue;
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        for (char *c = key; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        if (!*value)
            continue; /* start of a nested block */
        if (aws_headers_set(&out->values, key, value)) {
            rc = -1;
            break;
        }
    }
    if (line) {
        OPENSSL_cleanse(line, cap);
        free(line);
    }
    fclose(f);
    return rc;
}

int aws_profile_load(struct aws_profile *out, const char *name, const char *const *config_files,
                     size_t config_count, const char *const *credentials_files,
                     size_t credentials_count)
{
    for (size_t i = 0; i < config_count; i++)
        if (config_files[i] && profile_load_file(out, config_files[i], name, 1))
            return -1;
    for (size_t i = 0; i < credentials_count; i++)
        if (credentials_files[i] && profile_load_file(out, credentials_files[i], name, 0))
            return -1;
    return 0;
}

const char *aws_profile_get(const struct aws_profile *p, const char *key)
{
    return aws_headers_get(&p->values, key);
}

void aws_profile_clean_up(struct aws_profile *p)
{
    aws_headers_clean_up(&p->values);
    p->found = 0;
}
