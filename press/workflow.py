"""The editorial workflow as people meet it in the admin: actions, not states.

The release form offers one button per action its user may take on the release as it
stands ("Save draft", "Submit for review", "Publish now", "Schedule…", "Unpublish"), and
the server maps the action posted back to a status; an action not offered is refused.
Who may do what is the rule ``ReleaseForm.clean`` enforces as well: anyone who edits
releases moves a draft to review and back; only publishers (``press.publish_release``)
publish, schedule and unpublish.
"""

import dataclasses

from django.utils import dateformat, timezone

from .models import Release

Status = Release.Status

# What the form posts as ``_action``.
SAVE = "save"
REVIEW = "review"
DRAFT = "draft"
PUBLISH = "publish"
SCHEDULE = "schedule"
UNPUBLISH = "unpublish"

# The states people see: a published release whose time has not come is scheduled.
SCHEDULED = "scheduled"
LIVE = "published"


@dataclasses.dataclass(frozen=True)
class Action:
    name: str
    label: str
    status: str | None  # the status it sets; None keeps the release's own

    @property
    def publishes(self):
        return self.status in (Status.PUBLISHED, Status.UNPUBLISHED)


def _save(label):
    return Action(SAVE, label, None)


_SUBMIT = Action(REVIEW, "Submit for review", Status.REVIEW)
_PUBLISH_NOW = Action(PUBLISH, "Publish now", Status.PUBLISHED)
_SCHEDULE = Action(SCHEDULE, "Schedule…", Status.PUBLISHED)

# In each state: saving (which keeps the state), then what anyone who edits may do, then
# what only publishers may do.
SAVING = {
    Status.DRAFT: [_save("Save draft"), _SUBMIT],
    Status.REVIEW: [_save("Save"), Action(DRAFT, "Back to draft", Status.DRAFT)],
    SCHEDULED: [_save("Save changes")],
    LIVE: [_save("Save changes")],
    Status.UNPUBLISHED: [_save("Save")],
}
PUBLISHING = {
    Status.DRAFT: [_PUBLISH_NOW, _SCHEDULE],
    Status.REVIEW: [_PUBLISH_NOW, _SCHEDULE],
    SCHEDULED: [_PUBLISH_NOW, Action(DRAFT, "Cancel schedule", Status.DRAFT)],
    LIVE: [Action(UNPUBLISH, "Unpublish", Status.UNPUBLISHED)],
    Status.UNPUBLISHED: [Action(PUBLISH, "Publish again", Status.PUBLISHED), _SCHEDULE],
}
KNOWN = {action.name for actions in (*SAVING.values(), *PUBLISHING.values()) for action in actions}


def can_publish(user):
    return user.has_perm("press.publish_release")


def state_of(release):
    """The state as a person sees it; a release not yet saved is a draft."""
    if not release.pk:
        return Status.DRAFT
    if release.status == Status.PUBLISHED:
        return LIVE if release.is_published() else SCHEDULED
    return release.status


def actions_for(user, release):
    """The actions ``user`` may take on ``release`` as it stands, the one that keeps its
    state first (the form's default: what Enter does)."""
    state = state_of(release)
    actions = list(SAVING[state])
    if can_publish(user):
        actions += PUBLISHING[state]
    return actions


def local_moment(when):
    """A time as the newsroom reads it, its zone named: 5 January 2027, 09:00 CET
    (Europe/Vienna)."""
    local = timezone.localtime(when)
    return f"{dateformat.format(local, 'j F Y, H:i T')} ({timezone.get_current_timezone_name()})"


def describe(release):
    """The state's name and what it means for the public: ("Scheduled", "publishes 5
    January 2027, 09:00 CET (Europe/Vienna)")."""
    if not release.pk:
        return "New", "saved as a draft until it is sent for review or published"
    detail = {
        Status.DRAFT: "not on the site",
        Status.REVIEW: "waiting for a publisher",
        SCHEDULED: f"publishes {local_moment(release.published_at)}",
        LIVE: f"on the site, dated {local_moment(release.published_at)}",
        Status.UNPUBLISHED: "taken off the site",
    }[state_of(release)]
    return release.state_label, detail


@dataclasses.dataclass(frozen=True)
class Offer:
    """The buttons of one release form and the state they start from, fixed when the form
    is made (a refused post changes the release in memory before the page is drawn)."""

    state: str
    label: str
    detail: str
    actions: list

    @classmethod
    def make(cls, user, release):
        return cls(state_of(release), *describe(release), actions_for(user, release))

    @property
    def zone(self):
        return timezone.get_current_timezone_name()

    def find(self, name):
        return next((action for action in self.actions if action.name == name), None)

    def refusal(self, name, user):
        """Why the action ``name``, posted but not offered, is not taken."""
        publishing = {action.name for action in PUBLISHING[self.state]}
        if name in publishing | {PUBLISH, SCHEDULE, UNPUBLISH} and not can_publish(user):
            return (
                "Only a publisher can publish, schedule or unpublish a release. Nothing was saved."
            )
        if name in KNOWN:
            return (
                f"This release is {self.label.lower()} ({self.detail}): that action is not "
                "one it offers now. Nothing was saved; choose one of the buttons below."
            )
        return "That is not an action of this form. Nothing was saved; choose one of its buttons."
