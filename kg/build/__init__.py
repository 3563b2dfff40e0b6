"""The build wing: data/*.yaml -> records (file:line kept) -> checks -> rdflib Dataset -> SHACL -> build folder.

One module per stage, each a pure function of its inputs: :mod:`~kg.build.load`
(strict YAML), :mod:`~kg.build.collect` (YAML -> records of
:mod:`~kg.build.records`, by the vocabulary of :mod:`~kg.build.vocab`),
:mod:`~kg.build.check` (references and sources across files),
:mod:`~kg.build.compile` (records -> Dataset), :mod:`~kg.build.validate`
(SHACL, mapped back to lines), :mod:`~kg.build.output` (the build folder).
:mod:`~kg.build.pipeline` is the one orchestrator; :mod:`~kg.build.stats` counts.

May import: the bottom of ``kg`` only (errors, namespaces, model, heap, staging, the ``rdf`` wing).
"""

from .pipeline import Build, build, ensure_built, load_universe, write_built

__all__ = ["Build", "build", "ensure_built", "load_universe", "write_built"]
