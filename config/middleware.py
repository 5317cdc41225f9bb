"""Middleware: URLs with a NUL refused before any view runs; HTMX errors answered as a message partial.

Requests whose URL carries a NUL character are refused before any view runs.

A NUL can reach a query parameter or a path segment as `%00`; PostgreSQL
refuses such text in any lookup ("A string literal cannot contain NUL"), so
a view filtering on it would answer 500. No URL of ours needs one.
"""

import logging
from http.client import responses

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render

logger = logging.getLogger(__name__)

CSRF_MESSAGE = "CSRF verification failed: the form expired or cookies are blocked; reload the page and try again."
GENERIC_MESSAGES = {
    400: "The request was refused as malformed; check what you entered and try again.",
    403: "You do not have the role this action needs.",
    404: "Not found: it may have been deleted, or you are not a member of its project.",
    409: "The action conflicts with the current state; reload the page and try again.",
    500: "Something went wrong on the server (it was logged); the page is unchanged, try again or reload.",
    503: "A service the studio needs is unreachable; try again in a moment.",
}


class RefuseNulInUrlMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
            return HttpResponseBadRequest("The address contains a NUL character (%00), which no page accepts.")
        return self.get_response(request)


class HtmxErrorMiddleware:
    """An HTMX request that fails gets a message partial, never a whole error page swapped into a panel.

    HTMX swaps error responses too (the pages' htmx-config), so an error
    page (Django's DEBUG traceback, the 404 or 403 page, the CSRF failure)
    would replace the panel that asked, or the whole page, with an unstyled
    document. For HTMX requests (not boosted navigations, which want the full
    page) an exception from a view, a full-document or a plain-text error answer becomes
    `_error_message.html` with the same status, inserted at the top of the
    requesting panel (`HX-Reswap: afterbegin`) so the panel keeps its
    content. Partials that views already answer with (400 with field errors,
    503) are left alone. Unexpected exceptions are logged with their
    traceback first, in DEBUG and production alike.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not (_is_htmx(request) and response.status_code >= 400 and _is_html(response)):
            return response
        body = response.content.strip()
        if response.status_code == 403 and b"CSRF verification failed" in body:  # Django's CSRF failure page
            return _error_partial(request, 403, CSRF_MESSAGE)
        if not body or body[:500].lower().startswith((b"<!doctype", b"<html")):
            return _error_partial(request, response.status_code, _generic_message(response.status_code))
        if not body.startswith(b"<"):  # a plain message (HttpResponseBadRequest("...")): kept, as a partial
            return _error_partial(request, response.status_code, body[:1000].decode(errors="replace"))
        return response

    def process_exception(self, request, exception):
        if not _is_htmx(request):
            return None
        if isinstance(exception, Http404):
            return _error_partial(request, 404, str(exception) or _generic_message(404))
        if isinstance(exception, PermissionDenied):
            return _error_partial(request, 403, str(exception) or _generic_message(403))
        if isinstance(exception, SuspiciousOperation):
            return _error_partial(request, 400, _generic_message(400))
        logger.error("Unexpected error answering %s %s", request.method, request.path, exc_info=exception)
        return _error_partial(request, 500, _generic_message(500))


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def _is_html(response) -> bool:
    return not getattr(response, "streaming", False) and response.get("Content-Type", "").startswith("text/html")


def _generic_message(status: int) -> str:
    return GENERIC_MESSAGES.get(status, f"The request failed ({status} {responses.get(status, 'error')}).")


def _error_partial(request, status: int, message: str):
    response = render(request, "_error_message.html", {"message": message, "status": status}, status=status)
    response["HX-Reswap"] = "afterbegin"
    return response
