"""Security headers sent with every response: CSP, no caching of private pages, framing."""


from flask import Response, request
from flask_login import current_user

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
