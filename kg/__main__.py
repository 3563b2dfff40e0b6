"""``python -m kg`` is the ``kg`` command."""

from .cli import main

main(prog_name="kg")
