import os

import matplotlib

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

from hypothesis import HealthCheck, settings  # noqa: E402

# Modest by default; `HYPOTHESIS_PROFILE=deep pytest` runs the property tests harder.
# Nothing depends on the clock: no deadline, and the one timing health check is off.
# `--hypothesis-seed N` reproduces a run; a failure prints the blob that reproduces it.
_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.register_profile("default", max_examples=40, **_COMMON)
settings.register_profile("deep", max_examples=1000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
