"""Hostile input for the browser tests: what an attacker, a careless paste or a strange file
could put into the fields the desk shows to others.

Every payload that would run script sets ``window.__pwned`` (or opens a dialog) to the name
of the field it was put into: the word FIELD in a payload is replaced by that name, so a
failure says where the escaping broke.
"""

from __future__ import annotations

from dataclasses import dataclass

RLO = "\u202e"  # right-to-left override: "evil\u202etxt.exe" shows as "evilexe.txt"
ZWSP = "\u200b"  # zero-width space
ZWJ = "\u200d"  # zero-width joiner


@dataclass(frozen=True)
class Payload:
    name: str
    template: str

    def for_field(self, field: str) -> str:
        return self.template.replace("FIELD", field)


PAYLOADS = [
    Payload("script-tag", "<script>window.__pwned='FIELD'</script>"),
    Payload("img-onerror", "<img src=x onerror=\"window.__pwned='FIELD'\">"),
    Payload("svg-onload", "<svg onload=\"window.__pwned='FIELD'\"><circle r=9></svg>"),
    Payload("attribute-breakout", "\"><script>window.__pwned='FIELD'</script><b x=\""),
    Payload("single-quote-breakout", "'><img src=x onerror=alert('FIELD')>"),
    Payload("textarea-breakout", "</textarea><script>window.__pwned='FIELD'</script>"),
    Payload("title-breakout", "</title><script>window.__pwned='FIELD'</script>"),
    Payload("javascript-link", "<a href=\"javascript:window.__pwned='FIELD'\">click me</a>"),
    Payload("iframe-srcdoc",
            "<iframe srcdoc=\"<script>parent.__pwned='FIELD'</script>\"></iframe>"),
    Payload("autofocus-onfocus", "<input autofocus onfocus=\"window.__pwned='FIELD'\">"),
    Payload("details-ontoggle", "<details open ontoggle=\"window.__pwned='FIELD'\">x</details>"),
    Payload("mutation-xss",
            "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__pwned='FIELD'\">"),
    Payload("base-and-meta",
            "<base href=\"//evil.example/\">"
            "<meta http-equiv=\"refresh\" content=\"0;url=about:blank\">"),
    Payload("polyglot",
            "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert('FIELD') )//</stYle/</titLe/"
            "</teXtarEa/</scRipt/--!><sVg/<sVg/oNloAd=window.__pwned='FIELD'//>"),
    Payload("template-injection", "{{7*7}} {{config}} ${7*7} <%= 7*7 %> #{7*7} {% raw %}FIELD"),
    Payload("css-injection",
            "<style>*{display:none!important}</style><div style=\"position:fixed;inset:0;"
            "background:red;z-index:99999\">FIELD covers the page</div>"),
    Payload("entities",
            "&lt;script&gt;window.__pwned='FIELD'&lt;/script&gt; &amp;amp; &#x3C;b&#x3E;"),
    Payload("rtl-override", f"Invoice for FIELD {RLO}txt.exe{RLO} ends here"),
    Payload("zero-width", f"ze{ZWSP}ro{ZWJ}wi{ZWSP}dth <scr{ZWSP}ipt>window.__pwned='FIELD'"),
    Payload("formula", "=HYPERLINK(\"javascript:window.__pwned='FIELD'\",\"click\")"),
    Payload("long-unbroken", "FIELD-" + "W" * 1500),
]

# Where a payload goes in; each of these is shown again on the desk's pages.
STORED_FIELDS = ("body", "title", "file_name", "note", "reason")
# Where a payload is refused; the form shows it back, escaped, with the reason.
REFUSED_FIELDS = ("username", "login")

# Source URLs a reviewer must not be able to save: they would run, or read local files,
# when another person clicks them.
HOSTILE_SOURCE_URLS = [
    "javascript:window.__pwned='url'",
    "JavaScript:alert('url')",
    " javascript:alert('url')",
    "java\tscript:alert('url')",
    "data:text/html,<script>alert('url')</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgndXJsJyk8L3NjcmlwdD4=",
    "file:///etc/passwd",
    "vbscript:msgbox('url')",
    "http:window.__pwned",
    "//evil.example/path",
]

# Valid http(s) URLs that try to break out of the href attribute they are shown in.
BREAKOUT_SOURCE_URLS = [
    "https://example.org/a\"onmouseover=\"window.__pwned='url'\"x=\"",
    "https://example.org/b'><img/src=x/onerror=window.__pwned='url'>",
    "https://example.org/c?q=</a><script>window.__pwned='url'</script>",
]
