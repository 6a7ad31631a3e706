"""The admin's "View on site" link, told only to those who may see the object.

Django's own shortcut (``/admin/r/<content type>/<id>/``) redirects any staff member to
any object's address, which names a draft's slug to a writer outside its scope. Here it
answers only for an object the public may see anyway (its model's ``published()``), or
one its admin shows this user (its queryset, scopes included) and lets them view; anything
else is a 404, as if it did not exist.

This view takes every address under ``/admin/r/``, not only well-formed ones: the
content type is read as plain digits here, since Django's would also read " 11", "+11"
or "1_1" as 11 and so let a malformed address past a stricter pattern to the unchecked
shortcut.
"""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404


def public_object(model, object_id):
    """The object when the public may see it anyway: a model with a ``published()``
    queryset (releases) and the object in it; else None."""
    published = getattr(model._default_manager, "published", None)
    if published is None:
        return None
    try:
        return published().filter(pk=object_id).first()
    except (ValueError, ValidationError):  # an id that does not parse names nothing
        return None


def admin_object(request, model, object_id):
    """The object when its admin shows it to this user and lets them view it; else None."""
    if not admin.site.is_registered(model):
        return None
    model_admin = admin.site.get_model_admin(model)
    found = model_admin.get_object(request, object_id)
    if found is None or not model_admin.has_view_permission(request, found):
        return None
    return found


@staff_member_required
def view_on_site(request, content_type_id, object_id):
    if not (content_type_id.isascii() and content_type_id.isdigit()):
        raise Http404("No such kind of object.")
    try:
        content_type = ContentType.objects.get_for_id(int(content_type_id))
    except ContentType.DoesNotExist:
        raise Http404("No such kind of object.") from None
    model = content_type.model_class()
    if model is None:
        raise Http404("No such kind of object.")
    found = public_object(model, object_id) or admin_object(request, model, object_id)
    if found is None:
        raise Http404("No such object.")
    return shortcut(request, content_type.pk, found.pk)
