"""Shared runtime: what every request and every app relies on, owned by none of them.

Importable by every app; imports none of them (tests/test_architecture.py holds it to that).
"""
