"""The admin's forms as a browser posts them: the data of a page as shown, a new release's
add form, attachments, and what the admin said back (form errors, messages)."""

from django import forms
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from institutions.models import Structure
from press.models import Release
from tests.helpers.users import MOLDOVA, client_for, make_user


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def form_values(form):
    """What a browser would post back for ``form`` as rendered, unchanged."""
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        key, value = bound.html_name, bound.value()
        if isinstance(field, forms.SplitDateTimeField):
            moment = timezone.localtime(value) if value else None
            data[f"{key}_0"] = f"{moment:%Y-%m-%d}" if moment else ""
            data[f"{key}_1"] = f"{moment:%H:%M:%S}" if moment else ""
        elif isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        elif isinstance(value, (list, tuple)):
            data[key] = [str(item) for item in value]
        else:
            data[key] = "" if value is None else str(value)
    return data


def form_data(response):
    """The POST data of an admin add/change page: the main form and every inline, as shown."""
    assert response.status_code == 200, response.status_code
    data = form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        prefix = formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(formset.initial_forms))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for form in formset.initial_forms:
            data.update(form_values(form))
    return data


def shown_form_data(obj):
    """The change form of ``obj`` as a superuser sees it (others may get it read-only)."""
    reader = User.objects.filter(username="form-reader").first() or make_user(
        "form-reader", superuser=True
    )
    return form_data(client_for(reader).get(change_url(obj)))


def new_release_data(*, title="Talks on the Dniester bridge", sources=(MOLDOVA,), **changes):
    """A complete add form for a release, as the admin posts it."""
    data = {
        "title": title,
        "slug": changes.pop("slug", title.lower().replace(" ", "-")),
        "type": Release.Type.PRESS_RELEASE,
        "status": Release.Status.DRAFT,
        "published_at_0": "2024-05-02",
        "published_at_1": "10:00:00",
        "language": "en",
        "translation_of": "",
        "place": "",
        "sources": [str(s.pk) for s in Structure.objects.filter(slug__in=sources)],
        "countries": [],
        "fields_of_work": [],
        "meetings": [],
        "lead": "",
        "body": "<p>CHISINAU – The talks went on.</p>",
        "seen_version": "",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "lead_image-TOTAL_FORMS": "0",
        "lead_image-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def post_change(client, release, **changes):
    """Post the release's change form as shown, with ``changes``."""
    data = shown_form_data(release)
    data.update(changes)
    return client.post(change_url(release), data)


def form_errors(response):
    """Every error of the admin form on a page sent back, as text."""
    if response.status_code != 200 or "adminform" not in response.context:
        return ""
    form = response.context["adminform"].form
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# ---------------------------------------------------------------------------------------
# Attachments


def with_attachments(*uploads):
    data = {
        "attachments-TOTAL_FORMS": str(len(uploads)),
        "attachments-INITIAL_FORMS": "0",
    }
    for number, (title, upload) in enumerate(uploads):
        data[f"attachments-{number}-title"] = title
        data[f"attachments-{number}-file"] = upload
    return data


def add_with_attachments(client, *uploads):
    data = new_release_data(
        title="Report published",
        slug="report-published",
        status=Release.Status.PUBLISHED,
        **with_attachments(*uploads),
    )
    return client.post(reverse("admin:press_release_add"), data)


def attachment_errors(response):
    [formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "attachments"
    ]
    return " ".join(str(e) for form_errors in formset.errors for e in form_errors.values())
