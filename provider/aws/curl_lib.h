/*
 * curl_lib.h - libcurl, loaded when the provider first needs it.
 *
 * The binary does not link libcurl: libcurl.so.4 drags in some twenty-five
 * shared libraries (GnuTLS, Kerberos, LDAP, libssh2, librtmp, ...) whose
 * loading and symbol binding cost about 5 ms at every exec, while many of
 * the processes OpenTofu starts (schema, validate) never make an AWS call.
 * curl_lib.c defines the curl_* functions this project calls as forwarders
 * into a libcurl opened with dlopen(), so callers keep curl's own prototypes
 * and its compile-time checks of curl_easy_setopt arguments.
 *
 * The static release build (make PLATFORM=linux_amd64 ...) links libcurl
 * into the binary and defines LSMS_CURL_LINKED: the forwarders are left
 * out, loading always succeeds and preloading does nothing.
 */
#ifndef LSMS_AWS_CURL_LIB_H
#define LSMS_AWS_CURL_LIB_H

/* Opens libcurl once (thread-safe); 0 when it is usable. On failure, the
 * forwarders answer as libcurl does when it cannot initialise. */
int curl_lib_load(void);

/* Why loading failed (dlerror's text), or "" if it did not. */
const char *curl_lib_error(void);

/* Starts loading libcurl on a detached thread, so that it is ready by the
 * time ConfigureProvider builds the AWS client without delaying the
 * handshake. Best effort: if no thread can be started, the first use loads. */
void curl_lib_preload(void);

#endif
