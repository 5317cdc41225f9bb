"""The Celery app finds the task the django-celery-beat PeriodicTask rows name."""

from compiler.schedules.celery_backend import TASK
from config.celery import app


def test_celery_app_registers_the_scheduled_start_task():
    app.loader.import_default_modules()
    assert TASK in app.tasks


def test_celery_app_reads_broker_from_settings(settings):
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
