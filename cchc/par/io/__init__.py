"""Criteria sets in and out: Excel, YAML, and the ORM <-> engine conversion."""
