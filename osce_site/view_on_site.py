"""The admin's "View on site" link, told only to those who may see the object.

Django's own shortcut (``/admin/r/<content type>/<id>/``) redirects any staff member to
any object's address, which names a draft's slug to a writer outside its scope. Here the
object must be one its admin shows this user (its queryset, scopes included) and one they
may view; anything else is a 404, as if it did not exist.
"""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404


@staff_member_required
def view_on_site(request, content_type_id, object_id):
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404("No such kind of object.") from None
    if model is None or not admin.site.is_registered(model):
        raise Http404("No such kind of object.")
    model_admin = admin.site.get_model_admin(model)
    found = model_admin.get_object(request, object_id)
    if found is None or not model_admin.has_view_permission(request, found):
        raise Http404("No such object.")
    return shortcut(request, content_type_id, object_id)
