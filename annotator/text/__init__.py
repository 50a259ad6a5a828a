"""Pure text work: ``str`` and ``bytes`` in, plain values out.

The rule of this folder: nothing here touches the database, Flask or the request, and
nothing imports ``annotator.services`` or ``annotator.web``; only the standard library,
pysbd and the other modules of this folder. So every rule about text (where a claim
ends, what counts as a quotation or an amount of money, how an article file is read, how
a CSV cell is neutralised) can be read, tested and benchmarked without an app.
An import contract in ``pyproject.toml`` keeps it so (``lint-imports``).

The tables that several of these rules read (line breaks, quotation marks, abbreviations,
month names) are written once, in ``vocabulary``.
"""
