"""Cron triggers kept in step with each deploy, on Temporal Schedules or celery beat.

`service` is the interface the app calls (and the Temporal backend);
`celery_backend` the django-celery-beat one; `base` what both share, so
neither backend imports the interface back.
"""
