"""The test database as a DATABASE_URL, for the `manage.py` processes a test starts.

Workers, the web server and commands run as subprocesses, exactly as in
production, and must see the rows the test committed (`transactional_db`):
they get the database this test process uses, whether the SQLite file
config/settings.py makes per process or the PostgreSQL database pytest-django
created (`make test` runs part of the suite on PostgreSQL, scripts/with_postgres.sh).
"""

from __future__ import annotations

from urllib.parse import quote

from django.db import connection


def shared_database_url() -> str:
    """DATABASE_URL of the database this test process uses."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    credentials = f"{quote(database['USER'], safe='')}{password}@" if database["USER"] else ""
    return f"postgres://{credentials}{database['HOST']}:{database['PORT']}/{quote(database['NAME'], safe='')}"
