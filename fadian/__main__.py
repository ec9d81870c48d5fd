"""``python -m fadian`` runs the command line."""

from fadian.cli import main

main()
