"""`python -m upland` is the `upland` command."""

from upland.cli import main

main()
