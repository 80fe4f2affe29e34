tofu import lsms_dashboard.monitoring live-event-us-east-1
