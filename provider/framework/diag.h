/*
 * diag.h - attribute paths and diagnostics.
 *
 * A diagnostic is what the user sees: severity, a short summary, a
 * full-sentence detail and, for validation problems, the attribute path so
 * OpenTofu can point at the HCL line. Never format a secret into one.
 */
#ifndef LSMS_FRAMEWORK_DIAG_H
#define LSMS_FRAMEWORK_DIAG_H

#include <stddef.h>
#include <stdint.h>

enum path_step_kind { PATH_STEP_ATTR, PATH_STEP_KEY_STRING, PATH_STEP_KEY_INT };

struct path_step {
    enum path_step_kind kind;
    char *name;    /* ATTR and KEY_STRING, malloc'd */
    int64_t index; /* KEY_INT */
};

/* An owning path; a zeroed struct is the empty (root) path. */
struct attr_path {
    struct path_step *steps;
    size_t n;
};

int attr_path_push_attr(struct attr_path *p, const char *name);
int attr_path_push_key(struct attr_path *p, const char *key);
int attr_path_push_index(struct attr_path *p, int64_t index);
void attr_path_pop(struct attr_path *p);
int attr_path_copy(struct attr_path *dst, const struct attr_path *src);
int attr_path_equal(const struct attr_path *a, const struct attr_path *b);
/* "name", "cors_rules[0].max_age_seconds", "tags[\"k\"]"; malloc'd. */
char *attr_path_to_string(const struct attr_path *p);
void attr_path_clean_up(struct attr_path *p);

enum diag_severity { DIAG_ERROR = 1, DIAG_WARNING = 2 };

struct diag {
    enum diag_severity severity;
    char *summary;
    char *detail;
    struct attr_path path; /* n == 0: not tied to an attribute */
};

/* A growable list of diagnostics; a zeroed struct is empty. */
struct diags {
    struct diag *items;
    size_t n, cap;
};

/* Adds a diagnostic; path is copied (may be NULL). detail is printf-style. */
void diags_add(struct diags *d, enum diag_severity severity, const struct attr_path *path,
               const char *summary, const char *detail_fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Error on a top-level attribute (`attr` may be NULL for none). */
void diags_error(struct diags *d, const char *attr, const char *summary, const char *detail_fmt,
                 ...) __attribute__((format(printf, 4, 5)));
int diags_has_error(const struct diags *d);
/* Moves all items of src to the end of dst. */
void diags_move(struct diags *dst, struct diags *src);
void diags_clean_up(struct diags *d);

#endif
