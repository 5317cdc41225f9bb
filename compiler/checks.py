"""Start-up checks of the compiler app's settings (``manage.py check``, ``run_worker``, ``runserver``).

A malformed ``HTTP_ACTIVITY_ALLOWED_HOSTS`` entry stops the process at start
with the expected format, instead of failing the first workflow that calls
``http_request``.
"""

from django.conf import settings
from django.core import checks

from compiler.activities import outbound


@checks.register(checks.Tags.security)
def check_http_allow_list(app_configs, **kwargs) -> list[checks.CheckMessage]:
    try:
        outbound.parse_allow_list(getattr(settings, outbound.SETTING, []))
    except outbound.AllowListError as error:
        return [checks.Error(str(error), id="compiler.E001")]
    return []
