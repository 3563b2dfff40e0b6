"""The sparql wing: the public endpoint's machinery, and ``kg query``.

:mod:`~kg.sparql.gate` decides what a public query may do (size and nesting
before any parser, then the parsed query); :mod:`~kg.sparql.engine` answers it
(pyoxigraph, or a remote server) in the formats of :mod:`~kg.sparql.results`;
:mod:`~kg.sparql.workers` runs it in killable processes and
:mod:`~kg.sparql.service` in front of them applies :mod:`~kg.sparql.fairuse`;
:mod:`~kg.sparql.description` is the service description,
:mod:`~kg.sparql.examples` the example questions (``queries/*.rq``), and
:mod:`~kg.sparql.query` is ``kg query``.

May import: the bottom of ``kg`` and the store wing.  Never build, publish or views, nor ``web``.
"""
