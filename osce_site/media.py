"""Uploaded files served by the app itself, when no bucket or proxy serves them.

``make run`` and ``make serve`` on one machine keep uploads on local disk (MEDIA_ROOT);
without this, every attachment link would answer 404. A file is served as what it is and
nothing more: ``nosniff`` so a browser never guesses another type, a ``sandbox`` policy so
a document opened from the site's own address can run nothing, no listing of folders.
Uploads are never rewritten under the same name (the storage picks a free name), so a
browser may keep one for a day. In production a proxy's ``location /media/`` or the S3
bucket (``S3_BUCKET``) takes over and this view is not reached.
"""

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

MAX_AGE = 60 * 60 * 24
POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


@require_safe
def media(request, path):
    """The file at ``path`` under MEDIA_ROOT (Django's ``serve`` refuses any way out)."""
    if not path or path.endswith("/"):
        raise Http404("No listing of uploads.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT, show_indexes=False)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = POLICY
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
