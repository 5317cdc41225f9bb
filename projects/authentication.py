"""HTTP Basic authentication for the API that says when a login is locked out.

django-axes refuses a locked-out username before the password is checked
and flags the request; its middleware turns that flag into the lockout page
for Django's own requests, but DRF authenticates on its own request object,
so without this class a locked-out API client would only read "Invalid
username/password." and keep guessing.
"""

from axes.helpers import get_lockout_message
from drf_spectacular.authentication import BasicScheme
from rest_framework.authentication import BasicAuthentication
from rest_framework.exceptions import AuthenticationFailed


class LockoutAwareBasicAuthentication(BasicAuthentication):
    def authenticate_credentials(self, userid, password, request=None):
        try:
            return super().authenticate_credentials(userid, password, request)
        except AuthenticationFailed:
            if getattr(request, "axes_locked_out", False):
                raise AuthenticationFailed(get_lockout_message()) from None
            raise


class LockoutAwareBasicScheme(BasicScheme):
    """The same `basicAuth` security scheme in the OpenAPI schema."""

    target_class = "projects.authentication.LockoutAwareBasicAuthentication"
