/*
 * grpc_log.h - routes gRPC core's own log lines (gpr_log) into our hclog
 * JSON logger, so that tofu shows them at a sensible level instead of as
 * unparsed stderr text.
 */
#ifndef LSMS_PLUGIN_GRPC_LOG_H
#define LSMS_PLUGIN_GRPC_LOG_H

/* Installs the bridge. Call before grpc_init. gRPC DEBUG becomes trace,
 * INFO debug, ERROR warn (most gRPC "errors" are a client that went away or
 * failed its TLS handshake, not a fault of ours). */
void grpc_log_bridge_install(void);

#endif
