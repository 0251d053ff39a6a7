"""Tianchang's rules (天长): the lists, calls, supervision, evaluations, the host operations its procedures call,
its demo data and the fishing scenario. The platform rooms (engine, definitions, domain, workflow) never import it.
"""
