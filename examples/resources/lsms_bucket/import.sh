tofu import lsms_bucket.origin live-event-origin
