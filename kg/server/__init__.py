"""The web side of fazhi-kg: a SPARQL 1.1 Protocol endpoint, saved queries, the mechanism-adoption
explorer and a page per entity, served by ``kg serve`` (:func:`kg.server.app.create_app`).

Modules: ``app`` (the app factory), ``sparql`` (the protocol router), ``negotiation``
(Accept), ``safety`` (what a request must pass), ``workers`` and ``engine`` (queries in
killable worker processes), ``index`` (what pages need, computed once per store open),
``explorer`` (networkx -> pyvis), ``evidence``, ``saved`` (queries/), ``views/`` (one
module per page type), ``standalone`` (``kg viz``), ``cli``.  Templates and assets live
in ``viz/``.
"""
