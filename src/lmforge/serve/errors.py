"""Errors in OpenAI's shape: `{"error": {"message", "type", "param", "code"}}`.

Clients written for OpenAI (its Python client, LangChain, curl scripts) read this shape to
show the user what went wrong, so every failure the server reports uses it, with the
status OpenAI would use: 400 bad value, 401 bad key, 404 unknown model or route,
413 body too large, 422 wrong type, 429 queue full, 503 not ready or shutting down.

Test: `pytest tests/serve/test_errors.py`.
"""

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from lmforge.errors import LmforgeError

ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error",
               404: "not_found_error", 413: "invalid_request_error",
               422: "invalid_request_error", 429: "rate_limit_error", 500: "server_error",
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
        return error_response(validation_error(err))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException):
        message = str(err.detail) if err.status_code != 404 else (
            f"no route {request.method} {request.url.path}")
        return error_response(APIError(err.status_code, message))

    @app.exception_handler(LmforgeError)
    async def _lmforge(request: Request, err: LmforgeError):
        return error_response(bad_request(err))


def validation_error(err: RequestValidationError) -> APIError:
    """Malformed JSON is a 400; a field of the wrong type (temperature: "hot") is a 422."""
    first = err.errors()[0] if err.errors() else {}
    loc = [str(p) for p in first.get("loc", ()) if p != "body"]
    param = ".".join(loc) or None
    if first.get("type") == "json_invalid":
        detail = first.get("ctx", {}).get("error", "")
        return APIError(400, f"the request body is not valid JSON: {detail}".rstrip(": "),
                        None, "invalid_json")
    if first.get("type") == "missing":
        return APIError(400, f"missing required field '{param}'", param, "missing_field")
    got = first.get("input")
    message = f"{param or 'body'}: {first.get('msg', 'invalid value')} (got {got!r:.80})"
    return APIError(422, message, param, "invalid_type")
