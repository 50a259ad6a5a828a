"""An audit event's details as a person reads them: what changed (field, before, after)
and the other facts, every value as plain text.

Pure: the caller passes the names it resolved for the ids the details mention
(``names[kind][id]``, kind "account", "claim" or "article"); an id without a name is
shown as "<kind> <id>". Nothing here ever prints a raw Python dict or list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MISSING = "—"
# Long article text inside a detail (a claim's span) is cut to this many characters.
TEXT_PREVIEW_CHARS = 160
# Detail keys naming another object by id, and the kind of object each names.
ID_KEYS = {
    "reviewer_id": "account", "claim_id": "claim", "new_claim_id": "claim",
    "retired_claim_id": "claim", "article_id": "article",
}
# For events whose before/after are single values: the field they describe.
CHANGED_FIELD = {
    "user.activate": "active", "user.deactivate": "active",
    "verdict.approve": "moderation", "verdict.reject": "moderation",
    "claim.hide": "status", "claim.unhide": "status",
    "claim.split": "claims", "claim.merge": "claims",
}
Names = Mapping[str, Mapping[int, str]]


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ReadableDetails:
    changes: list[FieldChange]
    facts: list[tuple[str, str]]  # (label, value) for the details besides before/after


def label(key: str) -> str:
    """A detail key as words: ``retired_claim_id`` -> ``retired claim``."""
    key = key[:-3] if key.endswith("_id") and key in ID_KEYS else key
    return key.replace("_", " ").strip() or key


def named(kind: str, ident: int, names: Names) -> str:
    """The name resolved for an object, or "<kind> <id>" when none was found."""
    return names.get(kind, {}).get(ident) or f"{'user' if kind == 'account' else kind} {ident}"


def _span(value: Mapping[str, Any]) -> str:
    text = str(value.get("text", ""))
    if len(text) > TEXT_PREVIEW_CHARS:
        text = text[:TEXT_PREVIEW_CHARS - 1] + "…"
    where = f"characters {value['start']}–{value['end']}"
    return f"“{text}” ({where})" if text else where


def readable(value: Any) -> str:
    """Any JSON value as plain text: yes/no, lists joined, dicts as "key value" pairs."""
    if value is None or value == "" or value == [] or value == {}:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        if "start" in value and "end" in value:
            return _span(value)
        return "; ".join(f"{label(str(k))}: {readable(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        separator = "; " if any(isinstance(item, Mapping) for item in value) else ", "
        return separator.join(readable(item) for item in value)
    return str(value)


def _fact(key: str, value: Any, names: Names) -> str:
    kind = ID_KEYS.get(key)
    if kind and isinstance(value, int) and not isinstance(value, bool):
        return named(kind, value, names)
    return readable(value)


def changes(action: str, before: Any, after: Any) -> list[FieldChange]:
    """The fields that differ between ``before`` and ``after``: one row per changed key
    when both are dicts (or one is missing), else one row for the whole value."""
    if isinstance(before, Mapping | None) and isinstance(after, Mapping | None) \
            and (before or after):
        old, new = before or {}, after or {}
        keys = list(old) + [key for key in new if key not in old]
        return [FieldChange(label(str(key)), readable(old.get(key)), readable(new.get(key)))
                for key in keys if old.get(key) != new.get(key)]
    if before == after:
        return []
    return [FieldChange(CHANGED_FIELD.get(action, "value"), readable(before), readable(after))]


def describe(action: str, details: Mapping[str, Any] | None,
             names: Names | None = None) -> ReadableDetails:
    """The event's details as rows of changes and facts (facts in key order; empty ones
    left out)."""
    details = details if isinstance(details, Mapping) else {}
    names = names or {}
    has_change = "before" in details or "after" in details
    found = changes(action, details.get("before"), details.get("after")) if has_change else []
    facts = [(label(str(key)), _fact(str(key), value, names))
             for key, value in sorted(details.items(), key=lambda item: str(item[0]))
             if key not in {"before", "after"} and value not in (None, "", [], {})]
    return ReadableDetails(found, facts)


def referenced_ids(details: Mapping[str, Any] | None) -> dict[str, set[int]]:
    """The ids of accounts, claims and articles the details mention, by kind, so the
    caller can resolve them all at once."""
    found: dict[str, set[int]] = {}
    if not isinstance(details, Mapping):
        return found
    for key, kind in ID_KEYS.items():
        value = details.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            found.setdefault(kind, set()).add(value)
    return found
