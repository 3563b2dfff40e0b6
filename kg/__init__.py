"""The John Wick universe knowledge graph: YAML facts -> validated, sourced RDF.

The pipeline stages, each a module: :mod:`kg.load` (strict YAML),
:mod:`kg.collect` (YAML -> records, :mod:`kg.records`), :mod:`kg.check` (references, sources),
:mod:`kg.compile` (records -> Dataset), :mod:`kg.validate` (SHACL),
:mod:`kg.dump` (files); :mod:`kg.build` chains them and :mod:`kg.cli` is the
``kg`` command.
"""

__version__ = "0.1.0"
