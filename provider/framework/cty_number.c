/*
 * cty_number.c - exact decimal numbers as canonical text.
 *
 * cty numbers are arbitrary precision, so they are never passed through a
 * double: a number is kept as the canonical form of its decimal text, and
 * two numbers are equal exactly when their canonical texts are equal.
 */
#include "framework/cty_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Numbers are written without exponent (cty's Text('f', -1)), so "1e999999"
 * would expand to a megabyte of zeros. Bound the canonical text instead of
 * letting a hostile input allocate without limit. */
#define CTY_NUMBER_MAX_TEXT 4096

static char *number_infinity(bool negative)
{
    return strdup(negative ? "-Inf" : "Inf");
}

char *cty_number_normalise(const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    bool negative = false;
    if (p < end && (*p == '+' || *p == '-'))
        negative = *p++ == '-';

    size_t rest = (size_t)(end - p);
    if ((rest == 3 && strncasecmp(p, "inf", 3) == 0) ||
        (rest == 8 && strncasecmp(p, "infinity", 8) == 0))
        return number_infinity(negative);

    /* Mantissa digits without the point; `point` counts fraction digits. */
    const char *int_start = p;
    while (p < end && isdigit((unsigned char)*p))
        p++;
    size_t int_len = (size_t)(p - int_start);
    const char *frac_start = p, *frac_end = p;
    if (p < end && *p == '.') {
        frac_start = ++p;
        while (p < end && isdigit((unsigned char)*p))
            p++;
        frac_end = p;
    }
    size_t frac_len = (size_t)(frac_end - frac_start);
    if (int_len + frac_len == 0)
        return NULL;

    long long exp = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool exp_negative = false;
        if (p < end && (*p == '+' || *p == '-'))
            exp_negative = *p++ == '-';
        if (p == end || !isdigit((unsigned char)*p))
            return NULL;
        while (p < end && isdigit((unsigned char)*p)) {
            if (exp < 100000000)
                exp = exp * 10 + (*p - '0');
            p++;
        }
        if (exp_negative)
            exp = -exp;
    }
    if (p != end)
        return NULL;

    /* value = digits * 10^e, with leading and trailing zeros stripped. */
    size_t ndig = int_len + frac_len;
    char *digits = malloc(ndig + 1);
    if (!digits)
        return NULL;
    memcpy(digits, int_start, int_len);
    memcpy(digits + int_len, frac_start, frac_len);
    long long e = exp - (long long)frac_len;
    size_t first = 0;
    while (first < ndig && digits[first] == '0')
        first++;
    size_t last = ndig;
    while (last > first && digits[last - 1] == '0') {
        last--;
        e++;
    }
    size_t n = last - first;
    if (n == 0) {
        free(digits);
        return strdup("0");
    }

    long long width = e >= 0 ? (long long)n + e : ((long long)n > -e ? (long long)n + 1 : 2 - e);
    if (width > CTY_NUMBER_MAX_TEXT) {
        free(digits);
        return NULL;
    }
    char *out = malloc((size_t)width + 2);
    if (!out) {
        free(digits);
        return NULL;
    }
    char *o = out;
    if (negative)
        *o++ = '-';
    const char *d = digits + first;
    if (e >= 0) {
        memcpy(o, d, n);
        o += n;
        memset(o, '0', (size_t)e);
        o += e;
    } else if ((long long)n > -e) {
        size_t whole = n - (size_t)(-e);
        memcpy(o, d, whole);
        o += whole;
        *o++ = '.';
        memcpy(o, d + whole, n - whole);
        o += n - whole;
    } else {
        *o++ = '0';
        *o++ = '.';
        size_t zeros = (size_t)(-e) - n;
        memset(o, '0', zeros);
        o += zeros;
        memcpy(o, d, n);
        o += n;
    }
    *o = '\0';
    free(digits);
    return out;
}

char *cty_number_from_double(double d)
{
    if (isnan(d))
        return NULL;
    if (isinf(d))
        return number_infinity(d < 0);
    /* glibc prints the exact binary value when asked for enough digits; a
     * double needs at most 767 significant decimal digits. */
    char tmp[1100];
    int n = snprintf(tmp, sizeof(tmp), "%.800e", d);
    if (n < 0 || (size_t)n >= sizeof(tmp))
        return NULL;
    return cty_number_normalise(tmp, (size_t)n);
}

bool cty_number_to_double_exact(const char *text, double *out)
{
    if (strcmp(text, "Inf") == 0 || strcmp(text, "-Inf") == 0) {
        *out = text[0] == '-' ? -INFINITY : INFINITY;
        return true;
    }
    errno = 0;
    double d = strtod(text, NULL);
    if (isinf(d) || isnan(d))
        return false;
    char *back = cty_number_from_double(d);
    bool exact = back && strcmp(back, text) == 0;
    free(back);
    if (exact)
        *out = d;
    return exact;
}
