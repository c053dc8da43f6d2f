"""The load stage: files → checked records (strict YAML, folder defaults, privacy, ids, validation).

`load(project)` is the stage's front door; `pipeline.check()` calls it with the map
definitions (maps.py) and the records of sources. The modules here, by job: yamlfile
(strict YAML with lines), project (insightmap.yml), reader (walk insights/, .meta.yml),
privacy + personaldata + body (the privacy scan), ids, validate + recordkeys + bodylimits
(one record), crosscheck (across records), placeholders, maps, vocabulary, organisations.
"""

from insightmap.load.reader import META_FILE, Progress, load, read_records

__all__ = ["META_FILE", "Progress", "load", "read_records"]
