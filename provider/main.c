/*
 * main.c - terraform-provider-lsms: refuse to run outside a plugin host, then
 * serve the go-plugin/tfplugin6 protocol until told to stop.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plugin/handshake.h"
#include "plugin/serve.h"
#include "util/log.h"

#define MAGIC_COOKIE_KEY "TF_PLUGIN_MAGIC_COOKIE"
#define MAGIC_COOKIE_VALUE "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

int main(void)
{
    /* tofu expects us to survive Ctrl-C (it reaches the whole process group)
     * so that it can still send StopProvider; the Go server ignores it too. */
    signal(SIGINT, SIG_IGN);
    /* A client that goes away must not kill us mid-write. */
    signal(SIGPIPE, SIG_IGN);

    const char *cookie = getenv(MAGIC_COOKIE_KEY);
    if (!cookie || strcmp(cookie, MAGIC_COOKIE_VALUE) != 0) {
        fputs("This binary is a plugin. These are not meant to be executed directly.\n"
              "Please execute the program that consumes these plugins, which will\n"
              "load any plugins automatically\n",
              stderr);
        return 1;
    }

    log_init_from_env();
    const char *versions = getenv("PLUGIN_PROTOCOL_VERSIONS");
    if (handshake_protocol_negotiate(versions) < 0)
        /* As go-plugin: answer our version anyway and let the client refuse. */
        log_kv(LOG_WARN, "client does not offer plugin protocol 6", "offered",
               versions ? versions : "", NULL);

    struct plugin_serve_options opt;
    plugin_serve_options_from_env(&opt);
    enum plugin_serve_result rc = plugin_serve(&opt);
    if (rc == PLUGIN_SERVE_EXIT_NOW) {
        fflush(NULL);
        _exit(0);
    }
    return rc == PLUGIN_SERVE_DONE ? 0 : 1;
}
