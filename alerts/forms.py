from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Alert

FREQUENCIES = [
    (Alert.Frequency.IMMEDIATELY, _("As soon as a release is published")),
    (Alert.Frequency.DAILY, _("Once a day, at seven in the morning")),
    (Alert.Frequency.WEEKLY, _("Once a week, on Monday morning")),
]


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=FREQUENCIES,
        initial=Alert.Frequency.DAILY,
        widget=forms.RadioSelect,
    )


class FrequencyForm(forms.Form):
    alert = forms.IntegerField(widget=forms.HiddenInput)
    frequency = forms.ChoiceField(label=_("How often"), choices=FREQUENCIES)
