"""``python -m fadian`` runs the command line."""

from .cli import main

main()
