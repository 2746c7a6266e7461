"""The service's one exception hierarchy: what went wrong, as a status and a message.

Any layer raises these; web/errors.py answers them, as JSON or as an HTML page by route.
"""

from __future__ import annotations


class HTTPError(Exception):
    status = 500
    code = "internal_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(HTTPError):
    status = 400
    code = "bad_request"


class Forbidden(HTTPError):
    status = 403
    code = "forbidden"


class NotFound(HTTPError):
    status = 404
    code = "not_found"


class Unauthorized(HTTPError):
    status = 401
    code = "unauthorized"


class PayloadTooLarge(HTTPError):
    status = 413
    code = "payload_too_large"


class Unavailable(HTTPError):
    status = 503
    code = "unavailable"


CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 413: "payload_too_large", 414: "uri_too_long",
    429: "too_many_requests", 431: "headers_too_large", 500: "internal_error",
    503: "unavailable",
}
