tofu import lsms_container.origin live-event
