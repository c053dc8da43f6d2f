"""The one "today" every dated result is computed for.

Two builds of the same commit must be byte-identical, so the day can be pinned:
`SOURCE_DATE_EPOCH` (the reproducible-builds convention, seconds since 1970 UTC)
wins over the clock. Pages and reports say which day they were computed for.
"""

from __future__ import annotations

import datetime
import os

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def today() -> datetime.date:
    """Return `SOURCE_DATE_EPOCH`'s day in UTC when it is set to a number, else the local date."""
    epoch = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return datetime.date.today()
