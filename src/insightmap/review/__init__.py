"""Git revisions read as data for review: `diff` (what a change does) and `history` (month by month)."""
