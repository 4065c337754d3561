"""`python -m matchmaker`: the same command line as `matchmaker`."""

from matchmaker.cli import main

main()
