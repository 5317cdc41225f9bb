"""The Celery app, used only by the django-celery-beat schedule backend.

With `SCHEDULE_BACKEND=celery`, deploy maintains `PeriodicTask` rows; run
`celery -A config beat -S django` and `celery -A config worker` with
`CELERY_BROKER_URL` pointing at a broker (e.g. redis://localhost:6379/0) to
fire them. The default Temporal backend needs none of this.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
