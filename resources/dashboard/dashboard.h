/*
 * dashboard.h - lsms_dashboard's parts, for one another: the resource
 * (dashboard.c, with its CloudWatch calls) and what it offers beyond its
 * CRUD:
 *   dashboard_identity.c  identity {name, account_id}, import by identity
 *   dashboard_list.c      list resource: the account's dashboards this
 *                         provider can manage
 * The body is built and read back by dashboard_body.c.
 */
#ifndef LSMS_RESOURCES_DASHBOARD_DASHBOARD_H
#define LSMS_RESOURCES_DASHBOARD_DASHBOARD_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "aws/client.h"
#include "aws/error.h"
#include "framework/resource.h"

extern const struct lsms_resource lsms_dashboard_resource;
extern const struct resource_identity dashboard_identity;
extern const struct resource_list dashboard_list;

/* The resource's import by name. */
enum resource_result dashboard_import(struct resource_ctx *ctx, const char *id,
                                      struct cty_value *state);

/* GetDashboard; *out holds {DashboardArn, DashboardBody, DashboardName}. */
int dashboard_get(struct aws_client *c, const char *name, cJSON **out, struct aws_error *err);

/* The dashboard's tags as a map(string) (ListTagsForResource); NULL with
 * err on failure. Owned by the caller. */
struct cty_value *dashboard_tags_list(struct aws_client *c, const char *arn,
                                      struct aws_error *err);

/* One page of ListDashboards: {DashboardEntries: [{DashboardName,
 * DashboardArn, ...}], NextToken}. prefix and token may be NULL. */
int dashboard_list_page(struct aws_client *c, const char *prefix, const char *token,
                        cJSON **out, struct aws_error *err);

/* True when err is CloudWatch's "no such dashboard". */
bool dashboard_is_not_found(const struct aws_error *err);

#endif
