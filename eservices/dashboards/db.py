"""Percentiles computed by the database: ``percentile_cont`` on PostgreSQL, the same definition (linear
interpolation between the closest ranks) registered as an aggregate on each SQLite connection."""

import math

from django.db.backends.signals import connection_created
from django.db.models import Aggregate, FloatField
from django.dispatch import receiver


class Percentile(Aggregate):
    """The ``fraction`` percentile of an expression (0.5: the median), as PostgreSQL's ``percentile_cont``."""

    function = "percentile_cont"
    name = "Percentile"
    output_field = FloatField()

    def __init__(self, expression, fraction, **extra):
        self.fraction = float(fraction)
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=f"percentile_cont({self.fraction!r}) WITHIN GROUP (ORDER BY %(expressions)s)",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        percent = round(self.fraction * 100)
        if percent not in SQLITE_PERCENTS:
            raise ValueError(f"no SQLite percentile aggregate for {percent} %")
        return self.as_sql(compiler, connection, function=f"secm_percentile_{percent}", **extra_context)


SQLITE_PERCENTS = (10, 25, 50, 75, 90, 95)


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """PostgreSQL's ``percentile_cont``: the value at rank ``1 + fraction × (n − 1)``, interpolated."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    position = fraction * (len(values) - 1)
    low, high = math.floor(position), math.ceil(position)
    return values[low] + (values[high] - values[low]) * (position - low)


def _sqlite_aggregate(fraction):
    class SqlitePercentile:
        def __init__(self):
            self.values = []

        def step(self, value):
            if value is not None:
                self.values.append(value)

        def finalize(self):
            return percentile_cont(self.values, fraction)

    return SqlitePercentile


@receiver(connection_created)
def _register_sqlite_percentile(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        for percent in SQLITE_PERCENTS:
            connection.connection.create_aggregate(f"secm_percentile_{percent}", 1, _sqlite_aggregate(percent / 100))
