"""The one "today" every dated result is computed for.

Two builds of the same commit must be byte-identical, so the day can be pinned. In order:
the project's `today:` setting in insightmap.yml (a decision recorded in the repository, so
it wins), then `SOURCE_DATE_EPOCH` (the reproducible-builds convention, seconds since
1970 UTC, set by a build environment), then the clock. Pages and reports say which day
they were computed for.
"""

from __future__ import annotations

import datetime
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from insightmap.records import Config

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def today(config: Config | None = None) -> datetime.date:
    """Return the project's `today:`, else `SOURCE_DATE_EPOCH`'s day in UTC, else the local date."""
    if config is not None and config.today is not None:
        return config.today
    epoch = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return datetime.date.today()
