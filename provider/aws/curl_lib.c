/*
 * curl_lib.c - the curl_* functions of this project, forwarded to a libcurl
 * opened with dlopen() on first use (see curl_lib.h for why).
 *
 * Only the functions the provider calls are here; the linker reports any
 * other as undefined. The variadic setters read their one argument by the
 * type libcurl documents for the option number's range, as libcurl itself
 * does, and pass it on unchanged.
 */
#include "aws/curl_lib.h"

#ifdef LSMS_CURL_LINKED

int curl_lib_load(void)
{
    return 0;
}

const char *curl_lib_error(void)
{
    return "";
}

void curl_lib_preload(void)
{
}

#else

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The SONAME of libcurl 7.16 and later (Debian's libcurl4 package). */
#define CURL_LIB_SONAME "libcurl.so.4"

/* X(return type, name, parameters, arguments, value when libcurl is absent) */
#define CURL_LIB_FIXED(X)                                                                     \
    X(CURLcode, curl_global_init, (long flags), (flags), CURLE_FAILED_INIT)                  \
    X(CURL *, curl_easy_init, (void), (), NULL)                                              \
    X(const char *, curl_easy_strerror, (CURLcode code), (code), "libcurl is not loaded")    \
    X(struct curl_slist *, curl_slist_append, (struct curl_slist * l, const char *s), (l, s), \
      NULL)                                                                                  \
    X(CURLM *, curl_multi_init, (void), (), NULL)                                            \
    X(CURLMcode, curl_multi_add_handle, (CURLM * m, CURL * h), (m, h), CURLM_INTERNAL_ERROR)  \
    X(CURLMcode, curl_multi_remove_handle, (CURLM * m, CURL * h), (m, h),                    \
      CURLM_INTERNAL_ERROR)                                                                  \
    X(CURLMcode, curl_multi_perform, (CURLM * m, int *running), (m, running),                \
      CURLM_INTERNAL_ERROR)                                                                  \
    X(CURLMcode, curl_multi_poll,                                                            \
      (CURLM * m, struct curl_waitfd * fds, unsigned n, int timeout_ms, int *numfds),         \
      (m, fds, n, timeout_ms, numfds), CURLM_INTERNAL_ERROR)                                 \
    X(CURLMsg *, curl_multi_info_read, (CURLM * m, int *left), (m, left), NULL)              \
    X(CURLMcode, curl_multi_cleanup, (CURLM * m), (m), CURLM_INTERNAL_ERROR)                 \
    X(CURLSH *, curl_share_init, (void), (), NULL)                                           \
    X(CURLSHcode, curl_share_cleanup, (CURLSH * s), (s), CURLSHE_NOT_BUILT_IN)               \
    X(CURLU *, curl_url, (void), (), NULL)                                                   \
    X(CURLUcode, curl_url_set, (CURLU * u, CURLUPart part, const char *s, unsigned flags),    \
      (u, part, s, flags), CURLUE_OUT_OF_MEMORY)                                             \
    X(CURLUcode, curl_url_get, (CURLU * u, CURLUPart part, char **s, unsigned flags),         \
      (u, part, s, flags), CURLUE_OUT_OF_MEMORY)

/* X(name, parameters, arguments): nothing happens when libcurl is absent. */
#define CURL_LIB_VOID(X) \
    X(curl_easy_reset, (CURL * h), (h)) \
    X(curl_easy_cleanup, (CURL * h), (h)) \
    X(curl_free, (void *p), (p)) \
    X(curl_slist_free_all, (struct curl_slist * l), (l)) \
    X(curl_url_cleanup, (CURLU * u), (u))

#define CURL_LIB_VARIADIC(X)                                                                  \
    X(CURLcode, curl_easy_setopt, (CURL *, CURLoption, ...))                                  \
    X(CURLcode, curl_easy_getinfo, (CURL *, CURLINFO, ...))                                   \
    X(CURLSHcode, curl_share_setopt, (CURLSH *, CURLSHoption, ...))

static struct {
#define CURL_LIB_FIELD(ret, name, params, args, absent) ret(*name) params;
#define CURL_LIB_VFIELD(ret, name, params) ret(*name) params;
#define CURL_LIB_VOID_FIELD(name, params, args) void(*name) params;
    CURL_LIB_FIXED(CURL_LIB_FIELD)
    CURL_LIB_VOID(CURL_LIB_VOID_FIELD)
    CURL_LIB_VARIADIC(CURL_LIB_VFIELD)
} curl_fn;

static pthread_once_t curl_lib_once = PTHREAD_ONCE_INIT;
static int curl_lib_rc = -1;
static char curl_lib_why[256];

static void curl_lib_open(void)
{
    /* RTLD_LOCAL: libcurl's own dependencies must not be seen by, or
     * interpose on, what this binary links statically (OpenSSL, zlib). */
    void *lib = dlopen(CURL_LIB_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *why = dlerror();
        snprintf(curl_lib_why, sizeof(curl_lib_why), "%s", why ? why : "dlopen failed");
        return;
    }
    int missing = 0;
#define CURL_LIB_RESOLVE(name)                                                                \
    do {                                                                                      \
        *(void **)&curl_fn.name = dlsym(lib, #name);                                          \
        if (!curl_fn.name && !missing++)                                                      \
            snprintf(curl_lib_why, sizeof(curl_lib_why), "%s has no %s", CURL_LIB_SONAME,     \
                     #name);                                                                  \
    } while (0);
#define CURL_LIB_RESOLVE_FIXED(ret, name, params, args, absent) CURL_LIB_RESOLVE(name)
#define CURL_LIB_RESOLVE_VARIADIC(ret, name, params) CURL_LIB_RESOLVE(name)
#define CURL_LIB_RESOLVE_VOID(name, params, args) CURL_LIB_RESOLVE(name)
    CURL_LIB_FIXED(CURL_LIB_RESOLVE_FIXED)
    CURL_LIB_VOID(CURL_LIB_RESOLVE_VOID)
    CURL_LIB_VARIADIC(CURL_LIB_RESOLVE_VARIADIC)
    if (missing) {
        memset(&curl_fn, 0, sizeof(curl_fn));
        dlclose(lib);
        return;
    }
    /* The handle stays open for the life of the process. */
    curl_lib_rc = 0;
}

int curl_lib_load(void)
{
    pthread_once(&curl_lib_once, curl_lib_open);
    return curl_lib_rc;
}

const char *curl_lib_error(void)
{
    return curl_lib_why;
}

static void *curl_lib_preload_main(void *arg)
{
    (void)arg;
    curl_lib_load();
    return NULL;
}

void curl_lib_preload(void)
{
    pthread_t t;
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0)
        return;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    (void)pthread_create(&t, &attr, curl_lib_preload_main, NULL);
    pthread_attr_destroy(&attr);
}

/* ---- forwarders with fixed parameters ---- */

#define CURL_LIB_FORWARD(ret, name, params, args, absent)                                     \
    ret(name) params                                                                          \
    {                                                                                         \
        if (curl_lib_load() != 0)                                                             \
            return absent;                                                                    \
        return curl_fn.name args;                                                             \
    }
CURL_LIB_FIXED(CURL_LIB_FORWARD)

#define CURL_LIB_FORWARD_VOID(name, params, args)                                             \
    void(name) params                                                                         \
    {                                                                                         \
        if (curl_lib_load() == 0)                                                             \
            curl_fn.name args;                                                                \
    }
CURL_LIB_VOID(CURL_LIB_FORWARD_VOID)

/* ---- the variadic setters: one argument, typed by the option's range ---- */

CURLcode(curl_easy_setopt)(CURL *h, CURLoption opt, ...)
{
    if (curl_lib_load() != 0)
        return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, opt);
    CURLcode rc;
    if (opt < CURLOPTTYPE_OBJECTPOINT)
        rc = (curl_fn.curl_easy_setopt)(h, opt, va_arg(ap, long));
    else if (opt < CURLOPTTYPE_FUNCTIONPOINT)
        rc = (curl_fn.curl_easy_setopt)(h, opt, va_arg(ap, void *));
    else if (opt < CURLOPTTYPE_OFF_T)
        /* Function pointers travel as such: a void * need not hold one. */
        rc = (curl_fn.curl_easy_setopt)(h, opt, va_arg(ap, void (*)(void)));
    else if (opt < CURLOPTTYPE_BLOB)
        rc = (curl_fn.curl_easy_setopt)(h, opt, va_arg(ap, curl_off_t));
    else
        rc = (curl_fn.curl_easy_setopt)(h, opt, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

CURLcode(curl_easy_getinfo)(CURL *h, CURLINFO info, ...)
{
    if (curl_lib_load() != 0)
        return CURLE_FAILED_INIT;
    /* Every CURLINFO takes a pointer to where the answer goes. */
    va_list ap;
    va_start(ap, info);
    CURLcode rc = (curl_fn.curl_easy_getinfo)(h, info, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

CURLSHcode(curl_share_setopt)(CURLSH *s, CURLSHoption opt, ...)
{
    if (curl_lib_load() != 0)
        return CURLSHE_NOT_BUILT_IN;
    va_list ap;
    va_start(ap, opt);
    CURLSHcode rc;
    switch (opt) {
    case CURLSHOPT_SHARE:
    case CURLSHOPT_UNSHARE:
        /* curl_lock_data, promoted to int through the ellipsis. */
        rc = (curl_fn.curl_share_setopt)(s, opt, va_arg(ap, int));
        break;
    case CURLSHOPT_LOCKFUNC:
    case CURLSHOPT_UNLOCKFUNC:
        rc = (curl_fn.curl_share_setopt)(s, opt, va_arg(ap, void (*)(void)));
        break;
    default:
        rc = (curl_fn.curl_share_setopt)(s, opt, va_arg(ap, void *));
        break;
    }
    va_end(ap);
    return rc;
}

#endif /* LSMS_CURL_LINKED */
