from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from cchc.accounts import throttle


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    throttle.record_failure(throttle.keys_for(credentials.get("username"), request))


@receiver(user_logged_in)
def reset_failures(sender, request, user, **kwargs):
    throttle.clear(throttle.keys_for(user.get_username(), request))
