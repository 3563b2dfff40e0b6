"""The publish wing: what leaves a build, as files (the dumps) and to a SPARQL server (``kg push``).

:mod:`~kg.publish.dumps` writes the build in every format, gzipped, with the
ontology, the shapes, the VoID/DCAT description (:mod:`~kg.publish.void`) and
checksums; :mod:`~kg.publish.push` writes each named graph of the build
(:mod:`~kg.publish.graphs`) to a server through :mod:`~kg.publish.client`;
:mod:`~kg.publish.serving` makes ready on disk what ``kg serve`` serves.

May import: the bottom of ``kg``, the build wing (the build folder it reads)
and the store wing (a remote store's contents, fetched to be dumped).
Never the views or sparql wings, nor ``web``.
"""
