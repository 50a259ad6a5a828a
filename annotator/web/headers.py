"""Security headers sent with every response: CSP, no caching of private pages, framing."""


from flask import Response, request
from flask_login import current_user
from werkzeug.serving import WSGIRequestHandler

# No inline script or style anywhere: templates load /static files only.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response: Response) -> Response:
    """Set CSP and friends unless a view chose its own."""
    headers = response.headers
    if request.endpoint != "static" and current_user.is_authenticated:
        # Claims, notes and verdicts must not stay in a shared computer's browser cache.
        headers.setdefault("Cache-Control", "no-store")
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _server_name(_handler: WSGIRequestHandler) -> str:
    return "annotator"


def quiet_development_server() -> None:
    """Stop ``flask run``'s server from announcing "Werkzeug/3.x Python/3.x" in every
    answer's Server header: versions tell an attacker which known bugs to try. (gunicorn
    names itself without a version.) Werkzeug writes that header itself, before the
    application's headers, so its request handler is what has to change."""
    WSGIRequestHandler.version_string = _server_name
