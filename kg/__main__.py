"""``python -m kg`` is the ``kg`` command."""

from .cli import script

if __name__ == "__main__":  # not when a query executor process re-imports the main module (kg.sparql.workers)
    script()
