"""Settings for benchmark servers: the product's, plus a minimal baseline view.

django-hitcount (bench/requirements.txt, installed by `make bench`) is added
here only, for the side-by-side row; it is never a product dependency.
"""

import importlib.util

from cchc.settings import *  # noqa: F403
from cchc.settings import INSTALLED_APPS

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# As behind the production reverse proxy: the load generator sends each
# simulated visitor's address in X-Forwarded-For.
TRUSTED_PROXIES = ["127.0.0.1"]
CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}

HITCOUNT = importlib.util.find_spec("hitcount") is not None
if HITCOUNT:
    INSTALLED_APPS = [*INSTALLED_APPS, "hitcount"]
    HITCOUNT_KEEP_HIT_ACTIVE = {"days": 1}
