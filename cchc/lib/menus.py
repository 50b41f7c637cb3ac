"""The back-office menu item shown to those who may do its action somewhere."""

from __future__ import annotations

from wagtail.admin.menu import MenuItem

from cchc import access


class ActionMenuItem(MenuItem):
    """A Wagtail menu item shown when `access.can_anywhere(user, action)`.

    A menu does not name a unit: the screen it opens asks about its object. A screen
    that several actions open (a survey: managing it, keying its forms, reading it)
    names the others in `also`; the item shows for any of them.
    """

    def __init__(
        self, *args, action: access.Action, also: tuple[access.Action, ...] = (), **kwargs
    ):
        self.action = action
        self.also = also
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return any(access.can_anywhere(request.user, a) for a in (self.action, *self.also))
