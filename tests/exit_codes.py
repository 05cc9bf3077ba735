"""The exit statuses docs/exit-codes.md promises, read from its table, so that the tests hold
the binary to the document rather than to a copy of it."""
import pathlib
import re

DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "exit-codes.md"


def documented_exit_statuses():
    """Kind -> exit status, from the rows of the table that name a kind."""
    rows = re.findall(r"^\| (\d+) \| `(\w+)` \|", DOC.read_text(), re.M)
    return {kind: int(status) for status, kind in rows}
