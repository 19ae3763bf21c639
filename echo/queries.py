"""Query helpers every app uses."""

from django.db.models import Count, IntegerField, Subquery
from django.db.models.functions import Coalesce


def count_per_row(rows, per):
    """COUNT of `rows` for each outer row (`per` names the column that points
    at it), as a subquery: unlike a joined Count, it does not multiply with
    other annotations or group the outer query."""
    return Coalesce(
        Subquery(
            rows.order_by().values(per).annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
