"""The organisation's structures: the bodies that issue releases, as one tree.

Chairpersonship; the Secretariat and its units; the institutions; the field operations
(each with its host country) and the closed field activities; the Parliamentary Assembly;
the Court of Conciliation and Arbitration. A release's sources are nodes of this tree.
"""

from django.db import models

from taxonomy.models import Country, Place, TreeTerm


class Structure(TreeTerm):
    class Kind(models.TextChoices):
        CHAIRPERSONSHIP = "chairpersonship", "Chairpersonship"
        SECRETARIAT = "secretariat", "Secretariat"
        UNIT = "unit", "Secretariat unit"
        INSTITUTION = "institution", "Institution"
        FIELD_OPERATION = "field-operation", "Field operation"
        GROUP = "group", "Group of structures"
        CLOSED_GROUP = "closed-group", "Closed field activities (where closed operations go)"
        BODY = "body", "Body"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    host_country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_structures",
        help_text="For a field operation: the country it works in.",
    )
    seat = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="structures",
        help_text="The city it sits in.",
    )
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(
        null=True, blank=True, help_text="Set when it closed; its page and releases stay."
    )

    class Meta(TreeTerm.Meta):
        verbose_name = "structure"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(opened_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="structure_closes_after_opening",
            )
        ]

    def save(self, *args, **kwargs):
        """A field operation that closes moves under Closed field activities; nothing else
        about it changes, so its page, its address and its releases stay."""
        if self.kind == self.Kind.FIELD_OPERATION and self.closed_on:
            closed = Structure.objects.filter(kind=self.Kind.CLOSED_GROUP).first()
            if closed is not None and self.parent_id != closed.pk:
                self.parent = closed
        super().save(*args, **kwargs)

    @property
    def is_active(self):
        return self.closed_on is None
