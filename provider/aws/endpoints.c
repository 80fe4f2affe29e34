#include "aws/endpoints.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

/* From the botocore models' metadata and endpoint rule sets (aws-facts.md
 * §3.1). CloudWatch speaks JSON 1.0 with target prefix
 * GraniteServiceVersion20100801 and signs as "monitoring". */
static const struct aws_service_info services[] = {
    {"cloudfront", "cloudfront", "cloudfront", "CLOUDFRONT", "cloudfront.amazonaws.com", NULL,
     "2020-05-31"},
    {"cloudwatch", "monitoring", "monitoring", "CLOUDWATCH", NULL, "1.0", "2010-08-01"},
    {"iam", "iam", "iam", "IAM", "iam.amazonaws.com", NULL, "2010-05-08"},
    {"logs", "logs", "logs", "CLOUDWATCH_LOGS", NULL, "1.1", "2014-03-28"},
    {"medialive", "medialive", "medialive", "MEDIALIVE", NULL, "1.1", "2017-10-14"},
    {"mediastore", "mediastore", "mediastore", "MEDIASTORE", NULL, "1.1", "2017-09-01"},
    {"s3", "s3", "s3", "S3", NULL, NULL, "2006-03-01"},
    {"ssm", "ssm", "ssm", "SSM", NULL, "1.1", "2014-11-06"},
    {"sts", "sts", "sts", "STS", NULL, NULL, "2011-06-15"},
};

const struct aws_service_info *aws_service_find(const char *key)
{
    for (size_t i = 0; key && i < sizeof(services) / sizeof(*services); i++)
        if (strcmp(services[i].key, key) == 0)
            return &services[i];
    return NULL;
}

static const char *override_for(const struct aws_endpoint_overrides *o, const char *key)
{
    if (!o)
        return NULL;
    const char *v = NULL;
    if (strcmp(key, "cloudfront") == 0)
        v = o->cloudfront;
    else if (strcmp(key, "cloudwatch") == 0)
        v = o->cloudwatch;
    else if (strcmp(key, "iam") == 0)
        v = o->iam;
    else if (strcmp(key, "logs") == 0)
        v = o->logs;
    else if (strcmp(key, "medialive") == 0)
        v = o->medialive;
    else if (strcmp(key, "mediastore") == 0)
        v = o->mediastore;
    else if (strcmp(key, "ssm") == 0)
        v = o->ssm;
    else if (strcmp(key, "s3") == 0)
        v = o->s3;
    else if (strcmp(key, "sts") == 0)
        v = o->sts;
    return v && *v ? v : NULL;
}

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

int aws_endpoint_resolve(const char *service_key, const char *region,
                         const struct aws_endpoint_overrides *overrides, struct aws_endpoint *out,
                         struct aws_error *err)
{
    const struct aws_service_info *s = aws_service_find(service_key);
    if (!s)
        return aws_error_setf(err, AWS_ERR_CONFIG, "unknown AWS service \"%s\"",
                              service_key ? service_key : "");
    if (!s->global_host && (!region || !*region))
        return aws_error_setf(err, AWS_ERR_CONFIG, "a region is needed for %s", s->key);
    struct buf url = {0}, env_name = {0};
    const char *chosen = override_for(overrides, s->key);
    if (!chosen && buf_printf(&env_name, "AWS_ENDPOINT_URL_%s", s->env_suffix) == 0)
        chosen = env_nonempty(env_name.data);
    /* The brief's short name for Logs, next to the SDK's CLOUDWATCH_LOGS. */
    if (!chosen && strcmp(s->key, "logs") == 0)
        chosen = env_nonempty("AWS_ENDPOINT_URL_LOGS");
    if (!chosen)
        chosen = env_nonempty("AWS_ENDPOINT_URL");
    int rc;
    if (chosen)
        rc = buf_append_str(&url, chosen);
    else if (s->global_host)
        rc = buf_printf(&url, "https://%s", s->global_host);
    else
        rc = buf_printf(&url, "https://%s.%s.amazonaws.com%s", s->endpoint_prefix, region,
                        strncmp(region, "cn-", 3) == 0 ? ".cn" : "");
    buf_clean_up(&env_name);
    /* Global services sign for us-east-1 whatever the provider region is. */
    const char *signing_region = s->global_host ? "us-east-1" : region;
    out->signing_name = s->signing_name;
    out->overridden = chosen != NULL;
    out->signing_region = rc ? NULL : strdup(signing_region);
    out->url = rc ? NULL : buf_detach(&url);
    buf_clean_up(&url);
    if (!out->url || !out->signing_region) {
        aws_endpoint_clean_up(out);
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    }
    return 0;
}

void aws_endpoint_clean_up(struct aws_endpoint *e)
{
    free(e->url);
    free(e->signing_region);
    memset(e, 0, sizeof(*e));
}

const char *aws_region_partition(const char *region)
{
    if (strncmp(region, "cn-", 3) == 0)
        return "aws-cn";
    if (strncmp(region, "us-gov-", 7) == 0)
        return "aws-us-gov";
    return "aws";
}
