"""The alerts' pages: subscribe to what is on screen, confirm, manage, stop.

None of them is cached (each has a form or a token), none says whether an address is
already subscribed (the answer to a subscription is always "check your inbox"; what
differs goes in the email, to the address's owner alone), and each refuses bad input
with a form error or a 400 page, never a 500.
"""

import hashlib
import json

from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from osce_site.languages import current_language
from osce_site.security import client_address, count_hit

from . import links, matching, outbox, tasks
from .describe import canonical, describe
from .forms import FrequencyForm, SubscribeForm
from .models import Alert, Subscriber, normalise

# How many subscriptions an address, and a client, may ask for in an hour: enough for
# a person, too few to turn the form into a way of mailing strangers.
PER_ADDRESS = 5
PER_CLIENT = 30
HOUR = 60 * 60


def _limited(kind, who, most):
    """Count one more request of ``who`` this hour; whether it goes over ``most``."""
    key = f"alerts:limit:{kind}:{hashlib.sha256(who.encode()).hexdigest()[:32]}"
    return count_hit(key, HOUR) > most


@never_cache
@require_http_methods(["GET", "POST"])
def new(request):
    """The form for the finder query in the address (the parameters the finder had)."""
    language = current_language()
    query, what, problems = canonical(request.GET, language)
    context = {
        "what": what,
        "query": query,
        "problems": problems,
        "finder_url": reverse("press:list") + (f"?{query}" if query else ""),
    }
    if request.method == "GET":
        return render(request, "alerts/new.html", {**context, "form": SubscribeForm()})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/new.html", {**context, "form": form}, status=400)
    address = normalise(form.cleaned_data["email"])
    if _limited("client", client_address(request) or "-", PER_CLIENT) or _limited(
        "address", address, PER_ADDRESS
    ):
        response = notice(
            request,
            gettext("Too many requests"),
            gettext(
                "This address, or this connection, has asked for many alerts in the last "
                "hour. Please try again in an hour."
            ),
            status=429,
        )
        response["Retry-After"] = str(HOUR)
        return response
    subscribe(address, query, language, form.cleaned_data["frequency"])
    return redirect(reverse("alerts:sent"))


def subscribe(address, query, language, frequency):
    """Record the request and write the email that answers it: a confirmation link, or,
    for an alert already on, a note saying so with the link to manage it."""
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.get_or_create(
            email=address, defaults={"language": language}
        )
        alert, created = Alert.objects.get_or_create(
            subscriber=subscriber,
            query=query,
            language=language,
            defaults={"frequency": frequency},
        )
        if created:
            matching.set_keys(alert)
        if alert.confirmed_at:
            outbox.write("already", subscriber, alert=alert)
        else:
            if alert.frequency != frequency:
                alert.frequency = frequency
                alert.save(update_fields=["frequency"])
            outbox.write("confirm", subscriber, alert=alert, confirm_url=links.confirm_url(alert))
        tasks.send_soon()


@never_cache
def sent(request):
    return notice(
        request,
        gettext("Check your inbox"),
        gettext(
            "We have sent an email to the address you gave. Follow its link to start your "
            "alert; the link works for 7 days. If no email arrives, look in your spam folder."
        ),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button; POST confirms (a link scanner that opens the link confirms
    nothing)."""
    alert = _alert(links.read("confirm", token))
    if alert is None:
        return _gone(request)
    if request.method == "POST" and not alert.confirmed_at:
        Alert.objects.filter(pk=alert.pk).update(confirmed_at=timezone.now())
        alert.confirmed_at = timezone.now()
    return render(
        request,
        "alerts/confirm.html",
        {
            "alert": alert,
            "what": describe(alert.query, alert.language),
            "manage_url": links.manage_url(alert.subscriber),
        },
    )


@csrf_exempt  # RFC 8058: a mail program's one-click POST carries no CSRF token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows a button; POST (the page's, or a mail program's one click) ends the
    alert. Ending it twice is no error: the second time finds nothing to end."""
    pk = links.read("unsubscribe", token)
    if pk is None:
        return _gone(request)
    alert = _alert(pk)
    if request.method == "POST":
        if alert is not None:
            alert.delete()
        return stopped(request)
    if alert is None:
        return stopped(request)
    return render(
        request,
        "alerts/unsubscribe.html",
        {"alert": alert, "what": describe(alert.query, alert.language)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    """The address's alerts: change how often, end one, end all and forget the address."""
    subscriber = _subscriber(token)
    if subscriber is None:
        return _gone(request)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "erase":
            subscriber.delete()  # alerts, deliveries and messages with it
            return notice(
                request,
                gettext("Everything erased"),
                gettext("Your address, its alerts and the record of what we sent it are deleted."),
            )
        form = FrequencyForm(request.POST)
        if not form.is_valid() or action not in ("frequency", "end"):
            return HttpResponseBadRequest(gettext("That change could not be read."))
        alert = subscriber.alerts.filter(pk=form.cleaned_data["alert"]).first()
        if alert is None:
            return HttpResponseBadRequest(gettext("That alert is not this address's."))
        if action == "end":
            alert.delete()
        else:
            alert.frequency = form.cleaned_data["frequency"]
            alert.save(update_fields=["frequency"])
        return redirect(request.path)
    alerts = [
        {
            "alert": alert,
            "what": describe(alert.query, alert.language),
            "form": FrequencyForm(initial={"alert": alert.pk, "frequency": alert.frequency}),
        }
        for alert in subscriber.alerts.order_by("created_at")
    ]
    return render(
        request,
        "alerts/manage.html",
        {"subscriber": subscriber, "alerts": alerts, "token": token},
    )


@never_cache
def data(request, token):
    """Everything held about the address, as JSON, to download."""
    subscriber = _subscriber(token)
    if subscriber is None:
        return _gone(request)
    held = {
        "address": subscriber.email,
        "language": subscriber.language,
        "since": subscriber.created_at.isoformat(),
        "suppressed": subscriber.suppressed_because or None,
        "alerts": [
            {
                "search": alert.query,
                "language": alert.language,
                "frequency": alert.frequency,
                "created": alert.created_at.isoformat(),
                "confirmed": alert.confirmed_at.isoformat() if alert.confirmed_at else None,
            }
            for alert in subscriber.alerts.order_by("created_at")
        ],
        "emails": [
            {
                "subject": message.subject,
                "status": message.status,
                "written": message.created_at.isoformat(),
                "sent": message.sent_at.isoformat() if message.sent_at else None,
            }
            for message in subscriber.messages.order_by("created_at")
        ],
        "releases_sent": list(
            subscriber.deliveries.order_by("created_at").values_list("release__slug", flat=True)
        ),
    }
    response = HttpResponse(
        json.dumps(held, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="osce-alerts.json"'
    return response


def notice(request, heading, text, status=200):
    """A page that says one thing: a heading and a sentence."""
    return render(request, "alerts/notice.html", {"heading": heading, "text": text}, status=status)


def stopped(request):
    return notice(
        request, gettext("Alert stopped"), gettext("You will get no more emails from this alert.")
    )


def _subscriber(token):
    """The subscriber a management link names, or None (not ours, expired, erased)."""
    address = links.read("manage", token)
    return Subscriber.objects.for_address(address).first() if address else None


def _alert(pk):
    if not isinstance(pk, int):
        return None
    return Alert.objects.select_related("subscriber").filter(pk=pk).first()


def _gone(request):
    """A link that is not ours, expired, or whose alert is gone: a page that says so."""
    return render(request, "alerts/gone.html", status=404)
