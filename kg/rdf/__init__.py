"""The rdf wing, at the bottom: how the project writes RDF, shared by every stage.

:mod:`~kg.rdf.terms` holds the canonical N-Triples forms of terms, the IRI
check and the conversions between pyoxigraph and rdflib;
:mod:`~kg.rdf.quads` the sorted rows every writer reads;
:mod:`~kg.rdf.writers` the streaming writers (N-Triples, Turtle, TriG,
JSON-LD); :mod:`~kg.rdf.formats` the one table of formats (name, suffix, media
type, writer) and :func:`~kg.rdf.formats.serialize`.

May import: ``kg.errors`` and ``kg.namespaces`` only.
"""
