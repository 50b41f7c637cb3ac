# Sign-in failures are counted by django-axes in the cache (cchc/accounts/lockout.py).
