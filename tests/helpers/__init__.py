"""What the test modules share, each module named for what it holds.

Test modules import their helpers from here (and their fixtures from the conftest files),
never from one another.
"""
