"""Settings for benchmark servers: the product's, plus a minimal baseline view."""

from cchc.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# As behind the production reverse proxy: the load generator sends each
# simulated visitor's address in X-Forwarded-For.
TRUSTED_PROXIES = ["127.0.0.1"]
CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
