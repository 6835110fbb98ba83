"""Errors in OpenAI's shape: `{"error": {"message", "type", "param", "code"}}`.

Clients written for OpenAI (its Python client, LangChain, curl scripts) read this shape to
show the user what went wrong, so every failure the server reports uses it, with the
status OpenAI would use: 400 a malformed request (not JSON, a missing field, a wrong type,
a bad value: the message names the field), 401 bad key, 404 unknown model or route,
413 body too large, 429 queue full, 503 not ready or shutting down.

Test: `pytest tests/serve/test_errors.py`.
"""

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from lmforge.errors import LmforgeError

ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error",
               404: "not_found_error", 405: "invalid_request_error",
               413: "invalid_request_error", 429: "rate_limit_error", 500: "server_error",
               503: "service_unavailable"}


class APIError(Exception):
    """A failure to report to the client with a status and OpenAI's error body."""

    def __init__(self, status: int, message: str, param: str | None = None,
                 code: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.param, self.code = status, message, param, code
        self.headers = headers


def error_body(status: int, message: str, param: str | None = None,
               code: str | None = None) -> dict:
    return {"error": {"message": message, "type": ERROR_TYPES.get(status, "server_error"),
                      "param": param, "code": code}}


def error_response(err: APIError) -> JSONResponse:
    return JSONResponse(error_body(err.status, err.message, err.param, err.code),
                        status_code=err.status, headers=err.headers)


def bad_request(e: Exception, param: str | None = None) -> APIError:
    """A library error about the request's values (SamplingError, ContextLengthError...)."""
    message = str(e).strip() or type(e).__name__
    return APIError(400, message, param, "invalid_value")


def install_error_handlers(app) -> None:
    """Route every error FastAPI or lmforge raises into OpenAI's shape."""

    @app.exception_handler(APIError)
    async def _api_error(request: Request, err: APIError):
        return error_response(err)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, err: RequestValidationError):
        return error_response(validation_error(err, request.headers.get("content-type")))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException):
        message = str(err.detail) if err.status_code != 404 else (
            f"no route {request.method} {request.url.path}")
        return error_response(APIError(err.status_code, message))

    @app.exception_handler(LmforgeError)
    async def _lmforge(request: Request, err: LmforgeError):
        return error_response(bad_request(err))


def validation_error(err: RequestValidationError, content_type: str | None = None) -> APIError:
    """What pydantic found wrong with a body, as a 400 naming the field (OpenAI answers every
    malformed request with 400; FastAPI's own default would be 422)."""
    first = err.errors()[0] if err.errors() else {}
    kind, loc = first.get("type", ""), first.get("loc", ())
    if kind == "json_invalid":
        detail = first.get("ctx", {}).get("error", "")
        return APIError(400, f"the request body is not valid JSON: {detail}".rstrip(": "),
                        None, "invalid_json")
    param = field_path(loc[1:] if loc[:1] == ("body",) else loc)
    if param is None:
        return _body_error(kind, first.get("input"), content_type)
    if kind == "missing":
        return APIError(400, f"missing required field '{param}'", param, "missing_field")
    got = first.get("input")
    message = f"{param}: {first.get('msg', 'invalid value')} (got {got!r:.80})"
    code = "invalid_value" if kind in VALUE_ERRORS else "invalid_type"
    return APIError(400, message, param, code)


VALUE_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal",
                "literal_error", "enum", "too_short", "too_long", "finite_number"}


def _body_error(kind: str, got, content_type: str | None) -> APIError:
    """The body as a whole is wrong: empty, not JSON, or JSON that is not an object."""
    if kind == "missing" or got is None:
        return APIError(400, "the request body is empty (or null): send a JSON object "
                        "(Content-Type: application/json)", None, "missing_body")
    if isinstance(got, bytes | bytearray):  # FastAPI reads JSON only under a JSON type
        sent = f"it came as {content_type!r}" if content_type else "it came with no type"
        return APIError(400, "the request body was not read as JSON: send a JSON object with "
                        f"Content-Type: application/json ({sent})", None, "invalid_content_type")
    return APIError(400, "the request body must be a JSON object, got "
                    f"{type(got).__name__} {got!r:.60}", None, "invalid_body")


def field_path(loc) -> str | None:
    """pydantic's error location as a field path, `messages[0].content`, without the names
    pydantic gives the members of a union (`str`, `list[str]`, `TextPart`...)."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not _is_union_tag(str(part)):
            path += f".{part}" if path else str(part)
    return path or None


def _is_union_tag(part: str) -> bool:
    return ("[" in part or "-" in part or part[:1].isupper()
            or part in ("str", "int", "float", "bool", "dict", "list", "none"))
