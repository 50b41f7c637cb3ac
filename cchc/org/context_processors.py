from django.utils.functional import SimpleLazyObject

from cchc.org.selectors import province as province_unit


def province(request):
    # Lazy: only templates that name the province pay for the query.
    return {"province": SimpleLazyObject(province_unit)}
