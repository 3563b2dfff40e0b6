"""The John Wick universe knowledge graph: YAML facts -> validated, sourced RDF.

The pipeline stages, each a module: :mod:`kg.build.load` (strict YAML),
:mod:`kg.build.collect` (YAML -> records, :mod:`kg.build.records`), :mod:`kg.build.check` (references, sources),
:mod:`kg.build.compile` (records -> Dataset), :mod:`kg.build.validate` (SHACL),
:mod:`kg.build.output` (files); :mod:`kg.build` chains them and :mod:`kg.cli` is the
``kg`` command.
"""

__version__ = "0.1.0"
