"""Requests whose URL carries a NUL character are refused before any view runs.

A NUL can reach a query parameter or a path segment as `%00`; PostgreSQL
refuses such text in any lookup ("A string literal cannot contain NUL"), so
a view filtering on it would answer 500. No URL of ours needs one.
"""

from django.http import HttpResponseBadRequest


class RefuseNulInUrlMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
            return HttpResponseBadRequest("The address contains a NUL character (%00), which no page accepts.")
        return self.get_response(request)
