"""The rulebook: every rule of the domain, written once, with its SQL twin beside it.

A leaf package: it imports nothing of `plan` or `importers`, and both import it.
"""
