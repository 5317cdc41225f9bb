"""The API's JSON parser and JSON field, held to workflows.input_checks.

Set as the default parser in settings.REST_FRAMEWORK, so every API write
endpoint answers a body nested too deep, a lone surrogate, a NUL or
NaN/Infinity with 400 and a message instead of reaching code that fails on
it. `CheckedJSONField` applies the same rules to a JSON field sent as form
data, which DRF parses itself.
"""

from __future__ import annotations

import codecs

from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding

from workflows.input_checks import InputError, json_problem, parse_json


class CheckedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            text = codecs.getreader(get_encoding(parser_context or {}))(stream).read()
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from None
        try:
            return parse_json(text)
        except InputError as error:
            raise ParseError(f"JSON parse error: the request body {error}.") from None


class CheckedJSONField(serializers.JSONField):
    def to_internal_value(self, data):
        if getattr(data, "is_json_string", False):
            try:
                return parse_json(data)
            except InputError as error:
                raise serializers.ValidationError(f"This value {error}.") from None
        problem = json_problem(data)
        if problem:
            raise serializers.ValidationError(f"This value {problem}.")
        return super().to_internal_value(data)
