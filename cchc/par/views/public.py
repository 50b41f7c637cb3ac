"""(being built) Public PAR results pages, routed by cchc/par/urls.py."""
