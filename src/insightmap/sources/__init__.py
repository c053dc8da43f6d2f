"""Sources: other insightmap projects whose records join this one (a regional site, spec §2.6).

`config` reads the `sources:` setting, `git` fetches with plain git into build/sources/,
`lock` keeps the commit of each source in insightmap.lock, `read` loads a source's records
at its locked commit (or from its folder), `join` adds them to the corpus under the
source's name, and `update` moves the lock (and tells what a move would change).
A source is data: only its insightmap.yml, insights/ and maps/ are read, never code.
"""
