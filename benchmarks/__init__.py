"""Performance benchmarks (issue 7): `python -m benchmarks [--quick]`. Not part of the unit tests.

Every target is a ratio against a floor measured in the same run, so it holds on any machine.
"""
