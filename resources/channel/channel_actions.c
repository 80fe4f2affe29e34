/*
 * channel_actions.c - actions lsms_channel_start and lsms_channel_stop
 * (action.h): start a MediaLive channel and wait until it is RUNNING, or
 * stop it and wait until it is IDLE, reporting each state it passes
 * through. For the day-2 operation a live event needs ("start the channel an
 * hour before the event") without editing the configuration:
 *
 *     terraform apply -invoke=action.lsms_channel_start.go_live
 *
 * Which wins over `channel_start`: the configuration. lsms_channel reads
 * channel_start from the channel's state (RUNNING is true), so after an
 * action the next plan shows the change back to what the configuration says
 * (an update that stops or starts the channel again). A configuration that
 * drives the channel with these actions says so with
 * `lifecycle { ignore_changes = [channel_start] }`; its plans are then
 * empty whatever the actions did.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/message.h"
#include "aws/protocol_rest_json.h"
#include "framework/action.h"
#include "resources/channel/channel.h"
#include "resources/channel/channel_api.h"
#include "resources/common.h"
#include "resources/provider.h"
#include "util/buf.h"

#define CHANNEL_ACTION_TIMEOUT_MS (15u * 60u * 1000u)
/* A state that does not change is repeated in the progress this often. */
#define CHANNEL_ACTION_REPEAT_S 30

static const struct schema_attribute channel_action_attrs[] = {
    {.name = "channel_id", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "MediaLive channel ID (`lsms_channel.<name>.id`, or "
                    "`data.lsms_channel.<name>.id`)."},
    {.name = "timeout", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "How long to wait for the channel to reach the state, as a duration such "
                    "as `15m` (default 15m).",
     .validators = lsms_duration_validators},
    {0}};

static const struct schema channel_start_schema = {
    .version = 0,
    .block = {.attributes = channel_action_attrs,
              .description = "Starts a MediaLive channel and waits until it is `RUNNING`, "
                             "reporting each state it passes through. A channel already "
                             "running is left as it is; one still stopping is started once "
                             "`IDLE`. Fails, saying the state the channel was left in, when "
                             "the channel goes back to `IDLE` instead (MediaLive could not "
                             "start it: its alerts are quoted) or the timeout passes. The "
                             "configuration wins over this action: a channel whose "
                             "`channel_start` is false is planned to stop again unless its "
                             "`lifecycle` ignores changes to `channel_start`."}};

static const struct schema channel_stop_schema = {
    .version = 0,
    .block = {.attributes = channel_action_attrs,
              .description = "Stops a MediaLive channel and waits until it is `IDLE`, "
                             "reporting each state it passes through. A channel already idle "
                             "is left as it is. The configuration wins over this action: a "
                             "channel whose `channel_start` is true is planned to start again "
                             "unless its `lifecycle` ignores changes to `channel_start`."}};

/* One invocation: what is waited for and what was last reported. */
struct channel_action_run {
    struct action_ctx *actx;
    struct aws_client *c;
    const char *id;
    uint64_t timeout_ms;
    struct timespec started;
    char reported[32];   /* the last state reported */
    long reported_at_s;  /* when, in seconds since started */
    bool starting;       /* StartChannel was accepted: IDLE now means it failed */
};

static long channel_action_elapsed_s(const struct channel_action_run *run)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - run->started.tv_sec);
}

/* channel_api_seen_fn: one progress message per state change (and every
 * CHANNEL_ACTION_REPEAT_S while it stays); a started channel back at IDLE
 * failed to start. */
static int channel_action_seen(void *arg, const char *state, const char **refuse)
{
    struct channel_action_run *run = arg;
    long t = channel_action_elapsed_s(run);
    if (strcmp(state, run->reported) != 0 || t - run->reported_at_s >= CHANNEL_ACTION_REPEAT_S) {
        snprintf(run->reported, sizeof run->reported, "%s", state);
        run->reported_at_s = t;
        if (action_progress(run->actx, "Channel %s is %s (%ld s).", run->id, state, t) != 0)
            return -1;
    }
    if (action_cancelled(run->actx))
        return -1;
    if (run->starting && strcmp(state, "IDLE") == 0)
        *refuse = "the channel went back to IDLE: MediaLive could not start it";
    return 0;
}

/* The channel's state now, or NULL (not found: *gone). malloc'd. */
static char *channel_action_state(struct channel_action_run *run, bool *gone,
                                  struct aws_error *err)
{
    cJSON *ch = NULL;
    *gone = false;
    if (channel_api_describe(run->c, CHANNEL_API_CHANNEL, run->id, &ch, err) != 0) {
        if (channel_api_not_found(err)) {
            aws_error_clean_up(err);
            *gone = true;
        }
        return NULL;
    }
    const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ch, "state"));
    char *copy = strdup(st ? st : "");
    cJSON_Delete(ch);
    if (!copy)
        aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    return copy;
}

/* MediaLive's alerts now SET on the channel ("; "-joined messages), to say
 * why it did not start; NULL when there are none or they cannot be read
 * (ListAlerts is best effort: the error is already known). malloc'd. */
static char *channel_action_alerts(struct channel_action_run *run)
{
    struct buf path = {0};
    cJSON *out = NULL;
    struct aws_error err = {0};
    if (buf_printf(&path, "/prod/channels/") != 0 ||
        aws_uri_encode(&path, run->id, strlen(run->id), 0) != 0 ||
        buf_append_str(&path, "/alerts") != 0) {
        buf_clean_up(&path);
        return NULL;
    }
    struct aws_rest_json_input in = {.method = "GET", .path = path.data,
                                     .query = "stateFilter=SET"};
    int rc = aws_rest_json_call(run->c, "medialive", "ListAlerts", &in, &out, NULL, &err);
    buf_clean_up(&path);
    aws_error_clean_up(&err);
    struct buf text = {0};
    const cJSON *alerts = rc == 0 ? cJSON_GetObjectItemCaseSensitive(out, "alerts") : NULL;
    const cJSON *a;
    cJSON_ArrayForEach(a, alerts) {
        const char *msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "message"));
        if (msg)
            buf_printf(&text, "%s%s", text.len ? "; " : "", msg);
    }
    cJSON_Delete(out);
    return text.data;
}

/* The failure's diagnostic: what went wrong and the state it left. */
static void channel_action_fail(struct channel_action_run *run, const char *summary,
                                struct aws_error *err, bool with_alerts)
{
    bool gone = false;
    struct aws_error now_err = {0};
    char *why = aws_error_format(err);
    char *now = channel_action_state(run, &gone, &now_err);
    char *alerts = with_alerts ? channel_action_alerts(run) : NULL;
    diags_error(run->actx->rc.diags, "channel_id", summary,
                "%s. The channel is now %s.%s%s",
                why ? why : "out of memory",
                now ? now : gone ? "gone" : "in an unknown state (it cannot be read)",
                alerts ? " MediaLive alerts: " : "", alerts ? alerts : "");
    free(alerts);
    free(now);
    free(why);
    aws_error_clean_up(&now_err);
    aws_error_clean_up(err);
}

static const char *const CHANNEL_ACTION_RUNNING[] = {"RUNNING", NULL};
static const char *const CHANNEL_ACTION_IDLE[] = {"IDLE", NULL};

static bool channel_action_is(const char *state, const char *const *set)
{
    for (size_t i = 0; set[i]; i++)
        if (strcmp(state, set[i]) == 0)
            return true;
    return false;
}

static const char *const CHANNEL_ACTION_UNUSABLE[] = {"DELETING", "DELETED", "CREATE_FAILED",
                                                      "UPDATE_FAILED", NULL};

static int channel_action_wait(struct channel_action_run *run, const char *const *targets,
                               const char *what, const char *summary)
{
    struct aws_error err = {0};
    if (channel_api_wait_seen(run->c, CHANNEL_API_CHANNEL, run->id, targets, run->timeout_ms,
                              what, channel_action_seen, run, NULL, &err) == 0)
        return 0;
    channel_action_fail(run, summary, &err, run->starting);
    return -1;
}

static enum resource_result channel_action_invoke(struct action_ctx *actx,
                                                  const struct cty_value *config, bool start)
{
    struct lsms_provider_data *pd = resource_provider(&actx->rc);
    if (!pd)
        return RESOURCE_ERROR;
    struct channel_action_run run = {
        .actx = actx,
        .c = pd->client,
        .id = cty_attr_string(config, "channel_id"),
        .timeout_ms = resource_duration_ms(cty_attr_string(config, "timeout"),
                                           CHANNEL_ACTION_TIMEOUT_MS),
    };
    clock_gettime(CLOCK_MONOTONIC, &run.started);
    const char *summary = start ? "Cannot start the MediaLive channel"
                                : "Cannot stop the MediaLive channel";
    struct aws_error err = {0};
    bool gone = false;
    char *st = channel_action_state(&run, &gone, &err);
    if (!st) {
        if (gone)
            diags_error(actx->rc.diags, "channel_id", summary,
                        "No MediaLive channel with id %s exists in region %s.", run.id,
                        pd->region);
        else
            channel_action_fail(&run, summary, &err, false);
        return RESOURCE_ERROR;
    }
    snprintf(run.reported, sizeof run.reported, "%s", st);
    if (action_progress(actx, "Channel %s is %s.", run.id, st) != 0) {
        free(st);
        diags_error(actx->rc.diags, NULL, "Cancelled", "The action was cancelled; channel %s "
                    "was left as it was.", run.id);
        return RESOURCE_ERROR;
    }
    int rc = 0;
    if (channel_action_is(st, CHANNEL_ACTION_UNUSABLE)) {
        diags_error(actx->rc.diags, "channel_id", summary,
                    "Channel %s is %s: MediaLive cannot %s it.", run.id, st,
                    start ? "start" : "stop");
        rc = -1;
    } else if (start) {
        bool running = strcmp(st, "RUNNING") == 0;
        bool on_its_way = strcmp(st, "STARTING") == 0 || strcmp(st, "RECOVERING") == 0;
        /* STOPPING, CREATING, UPDATING: StartChannel is refused until IDLE. */
        if (!running && !on_its_way && strcmp(st, "IDLE") != 0)
            rc = channel_action_wait(&run, CHANNEL_ACTION_IDLE, "channel IDLE", summary);
        if (rc == 0 && !running && !on_its_way) {
            if (channel_api_channel_action(run.c, run.id, "start", &err) != 0) {
                channel_action_fail(&run, summary, &err, false);
                rc = -1;
            } else {
                run.starting = true;
                rc = action_progress(actx, "StartChannel accepted; waiting for RUNNING.");
                if (rc != 0)
                    diags_error(actx->rc.diags, NULL, "Cancelled",
                                "The action was cancelled after StartChannel: channel %s is "
                                "starting.", run.id);
            }
        }
        if (rc == 0 && !running) {
            run.starting = true;
            rc = channel_action_wait(&run, CHANNEL_ACTION_RUNNING, "channel RUNNING", summary);
        }
        if (rc == 0)
            (void)action_progress(actx, "Channel %s is RUNNING.", run.id);
    } else {
        bool runs = strcmp(st, "RUNNING") == 0 || strcmp(st, "STARTING") == 0 ||
                    strcmp(st, "RECOVERING") == 0;
        if (runs && channel_api_channel_action(run.c, run.id, "stop", &err) != 0) {
            channel_action_fail(&run, summary, &err, false);
            rc = -1;
        } else if (runs) {
            rc = action_progress(actx, "StopChannel accepted; waiting for IDLE.");
            if (rc != 0)
                diags_error(actx->rc.diags, NULL, "Cancelled",
                            "The action was cancelled after StopChannel: channel %s is "
                            "stopping.", run.id);
        }
        if (rc == 0 && strcmp(st, "IDLE") != 0)
            rc = channel_action_wait(&run, CHANNEL_ACTION_IDLE, "channel IDLE", summary);
        if (rc == 0)
            (void)action_progress(actx, "Channel %s is IDLE.", run.id);
    }
    free(st);
    return rc == 0 ? RESOURCE_OK : RESOURCE_ERROR;
}

static enum resource_result channel_start_invoke(struct action_ctx *actx,
                                                 const struct cty_value *config)
{
    return channel_action_invoke(actx, config, true);
}

static enum resource_result channel_stop_invoke(struct action_ctx *actx,
                                                const struct cty_value *config)
{
    return channel_action_invoke(actx, config, false);
}

const struct lsms_action lsms_channel_start_action = {
    .type_name = "lsms_channel_start",
    .schema = &channel_start_schema,
    .invoke = channel_start_invoke,
};

const struct lsms_action lsms_channel_stop_action = {
    .type_name = "lsms_channel_stop",
    .schema = &channel_stop_schema,
    .invoke = channel_stop_invoke,
};
