"""``python -m framelens``: the same as the ``framelens`` command."""

from framelens.cli import main

main()
