"""The characters and words that several text rules read: line breaks, quotation marks,
abbreviations, month and weekday names.

Each table is written once, here, so the splitter (``annotator.text.splitting``), the
reviewer hints (``annotator.text.hints``) and the article-file parser cannot drift apart.
Where two rules really read different lists, both lists are built here from the same
parts, next to a comment that says why they differ.
"""

from __future__ import annotations

__all__ = [
    "EDITOR_LINE_ENDS",
    "LINE_BREAKS",
    "MONTHS",
    "MONTH_ABBREVIATIONS",
    "NAME_ABBREVIATIONS",
    "QUOTATION_CLOSERS",
    "QUOTATION_FAMILIES",
    "QUOTATION_MARKS",
    "SENTENCE_INNER_ABBREVIATIONS",
    "SENTENCE_OPENING_WORDS",
    "SENTENCE_ENDING_WORDS",
    "SINGLE_QUOTATION_MARKS",
    "SINGLE_QUOTE_CLOSES",
    "SINGLE_QUOTE_OPENS",
    "SPLITTER_QUOTATION_CLOSERS",
    "TITLES",
    "WEEKDAYS",
]

# --- line breaks -----------------------------------------------------------------------

# Everything str.splitlines() treats as a line boundary.  Each is a hard claim boundary
# (so no claim holds a line break), and no quotation runs past one.
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"

# The line ends an uploaded file is normalised from (besides "\r\n"): those that editors
# write (old Mac OS, Word's "\v", Unicode).  Not the file, group and record separators
# "\x1c" to "\x1e": they are control characters, which the parser counts when it decides
# whether a file is binary, and keeps as they are; the splitter still breaks lines there.
EDITOR_LINE_ENDS = "".join(char for char in LINE_BREAKS if char not in "\n\x1c\x1d\x1e")

# --- quotation marks -------------------------------------------------------------------

# Each opening mark and the marks that close it.  „ is closed by “ (German style) or by ”.
QUOTATION_CLOSERS = {"«": "»", "‹": "›", "“": "”", "„": "“”", "‘": "’", '"': '"', "'": "'"}

# Every quotation mark, once.
QUOTATION_MARKS = "".join(dict.fromkeys("".join(k + v for k, v in QUOTATION_CLOSERS.items())))

# Single marks double as apostrophes (don't, the '90s, ’tis), so no rule trusts them alone.
SINGLE_QUOTATION_MARKS = "‘’'"

# The rule for a straight single quote (regular expressions), which the splitter and the
# reviewer hints both follow: it opens a quotation before a word that no word character
# precedes ("'It was"), closes one after a word or a sentence end that no word character
# follows ("going.'"), and inside a word ("don't") it is an apostrophe.
SINGLE_QUOTE_OPENS = r"(?<!\w)'(?=\w)"
SINGLE_QUOTE_CLOSES = r"(?<=[\w.!?,;])'(?!\w)"


def _families(closers: dict[str, str]) -> tuple[str, ...]:
    """Group the marks that pair with each other, directly or through a shared mark."""
    families: list[str] = []
    for opener, closing in closers.items():
        family = opener + closing
        for other in [f for f in families if set(f) & set(family)]:
            families.remove(other)
            family = other + family
        families.append("".join(dict.fromkeys(family)))
    return tuple(families)


# Marks of one family pair only with each other, so an unmatched mark of one kind cannot
# swallow a quotation of another kind: « », ‹ ›, “ ” „, " ", ‘ ’ and ' '.
QUOTATION_FAMILIES = _families(QUOTATION_CLOSERS)

# The splitter leaves the straight single quote out: it has no rule that tells one from
# an apostrophe, and a false opening mark would open a quotation that runs to the end of
# the line.  (The hints have such a rule and read it.)
SPLITTER_QUOTATION_CLOSERS = {
    opener: closing for opener, closing in QUOTATION_CLOSERS.items() if opener != "'"
}

# --- dates -----------------------------------------------------------------------------

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
# The shortened month names of news text ("Jan. 5", "Sept 2024"); May has none.
MONTH_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# --- abbreviations (lower case, without their period) ----------------------------------

# The titles and ranks that news attribution uses most.
_COMMON_TITLES = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "rev", "hon", "pres", "gov", "sen", "rep", "gen",
        "col", "lt", "maj", "capt", "adm", "sgt",
    }
)  # fmt: skip
# Titles and ranks always stand before a name ("Mr. Smith", "“Gen. Haddad"), so the period
# after one never ends a sentence.
TITLES = _COMMON_TITLES | {
    "messrs", "mme", "mlle", "sens", "reps", "cmdr", "cpl", "pvt", "det", "insp", "supt",
}  # fmt: skip
# "Jr." and "Sr." after a name; "St." (Saint, Street) before or after one.
_NAME_SUFFIXES = frozenset({"jr", "sr", "st"})
_COMPANY_FORMS = frozenset({"co", "corp", "inc", "ltd", "bros"})

# For the splitter: abbreviations that usually stay inside a sentence, so their period
# does not end a quoted sentence nor start a new claim before a lowercase word.  Words
# that are also common sentence endings ("no", "is", "me", and "mar" among the months)
# are left out on purpose: leaving a quotation whole is only a missed split, but a false
# abbreviation would be a break in the middle of a sentence.
SENTENCE_INNER_ABBREVIATIONS = (
    TITLES
    | {"drs"}
    | _NAME_SUFFIXES
    | _COMPANY_FORMS
    | {"dept", "univ", "assn", "ave", "blvd", "rd", "mt", "ft"}
    | {"vs", "etc", "al", "cf", "viz", "approx", "esp", "est", "fig", "vol", "nos", "pp"}
    | {month.lower() for month in MONTH_ABBREVIATIONS if month != "Mar"}
)

# For the splitter: words that pySBD lists as abbreviations but that are mostly plain
# English words, so their period before "I" ends a sentence ("the trust placed in me. I
# intend to honour it.").
SENTENCE_ENDING_WORDS = frozenset({"me", "in", "am", "is", "no", "ok", "man", "miss", "ill", "art"})

# For the splitter: a pronoun or a determiner after a dotted abbreviation starts a new
# sentence ("arrived in Washington D.C. The visas"); a capitalised noun may be part of a
# name ("U.S. Officials" is left whole).
SENTENCE_OPENING_WORDS = frozenset(
    {"The", "They", "He", "She", "It", "We", "This", "These", "Those", "Its", "Their", "His",
     "Our", "There"}
)  # fmt: skip

# For the speaker hint: abbreviations whose period does not end a speaker's name ("Acme
# Inc. said", "said Gen. Smith").  This list grew apart from the splitter's: it reads only
# the common titles, and it alone knows "plc" and "llc".  Aligning the two would change
# which speakers are found and where claims end, so each keeps its list until a test
# case shows which is right.
NAME_ABBREVIATIONS = _COMMON_TITLES | _NAME_SUFFIXES | _COMPANY_FORMS | {"plc", "llc"}
