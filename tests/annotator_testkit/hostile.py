"""Hostile input: named groups of payloads that the tests push through every surface.

Data only. Each group is a tuple of strings so tests can parametrize over it; ``ALL``
joins the groups that are text a person could type into a form or put in a file.
"""

from __future__ import annotations

# Markup that runs script if a page prints it unescaped.
XSS = (
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '"><script>alert(document.cookie)</script>',
    "'><img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '" autofocus onfocus="alert(1)',
    "' onmouseover='alert(1)",
    "{{ 7*7 }}{% raw %}",
    "<!--<script>alert(1)//-->",
)

# Cells a spreadsheet would run as a formula: every trigger, also behind blanks and
# zero-width characters, and the full-width forms.
FORMULA = (
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(A1)",
    "  =1+1",
    "\u00a0=1+1",
    "\u200b=1+1",
    "\u2060=1+1",
    "\ufeff=1+1",
    " \u200b \t=1+1",
    "\u3000=1+1",
    "\u2003+1",
    "\n=1+1",
    "\u200e=1+1",
    "\u202e=1+1",
)

# SQL metacharacters and classic injections; also LIKE wildcards and escapes.
SQL = (
    "'",
    '"',
    ";",
    "--",
    "/* */",
    "%",
    "_",
    "\\",
    "' OR 1=1 --",
    "\" OR \"1\"=\"1",
    "1; DROP TABLE verdict; --",
    "admin'--",
    "%' OR username LIKE '%",
    "1 UNION SELECT password_hash FROM account",
    "\\'; --",
)

# The NUL byte is kept apart: PostgreSQL text columns cannot hold it at all.
NUL = ("a\x00b", "\x00")

# Link targets that must never become a clickable source.
BAD_URLS = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "vbscript:msgbox(1)",
    "//evil.example/path",
    "ftp://evil.example/",
    "http:evil.example",
    "http://",
    "https:///nohost",
    "http://evil.example/a b",
)

# Accepted as sources (http and https naming a host), even when they look odd.
ODD_BUT_VALID_URLS = (
    "HTTPS://EXAMPLE.ORG/Path?q='%22<x>",
    "https://example.org/?q=<script>alert(1)</script>",
)

# Addresses that read as another host than the one they lead to: refused.
DECEPTIVE_URLS = (
    "http://user@evil.example/",  # "user" reads as the site; evil.example is the host
    "https://good.example@evil.example/",
    "https://evil.example\\@good.example/",  # browsers read the backslash as a slash
    "https://\u0435xample.org/",  # a Cyrillic е among Latin letters
    "https://ex\u0430mple.com/",
)
# Invisible format characters that make a link read as something it is not: refused.
INVISIBLE_URLS = (
    "http://evil.example/\u202egpj.exe", "https://exa\u200bmple.org/", "https://\ufeffexample.org/",
)

# Characters that disguise text or break naive length and offset arithmetic.
UNICODE = (
    "abc\u202etxt.exe",
    "\u202eevil\u202c",
    "zero\u200bwidth\u2060joiner\ufeff",
    "e\u0301\u0301\u0301\u0301\u0301\u0301",
    "Z\u0335\u0336\u0337\u0338\u0321\u0322\u0327\u0328",
    "\U0001f600\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\u05e9\u05dc\u05d5\u05dd world \u0645\u0631\u062d\u0628\u0627",
    "\u2028line\u2029para\x85next",
    "\ufffd\uffff",
)

# A lone surrogate cannot be encoded as UTF-8; only raw bytes can carry it.
SURROGATE_BYTES = (b"\xed\xa0\x80", b"\xed\xbf\xbf")

LONG_LINE = "A" * 20_000

ALL = XSS + FORMULA + SQL + BAD_URLS + UNICODE

# What a person could type into a one-line field (a username, a password).
TYPED_TEXT = XSS + SQL + UNICODE
