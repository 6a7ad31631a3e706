"""Running the importer command as its tests do."""

import io

from django.core.management import CommandError, call_command


def run_import(*args):
    """Run ``import_releases``; return (stdout, stderr, CommandError or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_releases", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None
