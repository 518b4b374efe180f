"""Hypothesis profiles for every tier. `make test` runs the default (100 examples a property, no
per-example deadline: CI machines are shared and slow examples are not failures);
`HYPOTHESIS_PROFILE=thorough` runs ten times as many for a deeper search before a release."""

import os

from hypothesis import settings

settings.register_profile("default", deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
