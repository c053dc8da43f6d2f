"""Run the CLI as `python -m insightmap`."""

from insightmap.cli import main

main()
