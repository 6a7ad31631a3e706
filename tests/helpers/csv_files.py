"""CSV text read into rows and written from them, as the reference data's export writes it."""

import csv
import io


def csv_rows(text):
    """The rows of a CSV text, as dicts by the header's names."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def csv_text(rows):
    """CSV text of ``rows`` (dicts), the header from the first, as the export writes it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
