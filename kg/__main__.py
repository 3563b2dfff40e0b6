"""``python -m kg`` is the ``kg`` command (the base IRI settled first: :mod:`kg.launch`)."""

from .launch import script

if __name__ == "__main__":  # not when a query executor process re-imports the main module (kg.sparql.workers)
    script()
