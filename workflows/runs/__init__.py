"""Pages for runs and schedules: the run list, one run's page, links between runs, the schedules card."""
