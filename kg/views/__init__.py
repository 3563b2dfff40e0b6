"""The views wing: the read models the pages use, each a function of the store and the catalog.

:mod:`~kg.views.describe` (an entity's statements with their sources, grouped)
and :mod:`~kg.views.infobox`; :mod:`~kg.views.linked` (an entity as Linked
Data); :mod:`~kg.views.search`; :mod:`~kg.views.entitygraph` and
:mod:`~kg.views.connections`; :mod:`~kg.views.sections`,
:mod:`~kg.views.lists`, :mod:`~kg.views.matrix` and :mod:`~kg.views.works`;
:mod:`~kg.views.ontodoc` and :mod:`~kg.views.shapedoc` (the ontology in words).
Every one honours the fan's spoiler level.

May import: the bottom of ``kg`` and the store wing.  Never build, publish or sparql, nor ``web``.
"""
