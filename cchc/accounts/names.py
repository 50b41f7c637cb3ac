"""People's names in Vietnamese order: family name, middle name, given name.

Accounts keep Django's fields: `first_name` holds the given name ("Quản")
and `last_name` the family and middle names ("Nguyễn Văn"), as the demo
loader and the user form ("Họ và tên đệm", "Tên") store them. Django's
`User.get_full_name()` puts the given name first ("Quản Nguyễn Văn"), and
Wagtail's screens, our templates and e-mails all call it, so the one fix is
to give the user model a `get_full_name` that writes the family name first.
The project uses `auth.User` (no custom user model to override it on), so
AccountsConfig.ready() sets it on the model class. `get_short_name()` stays
the given name, which is how Vietnamese people are addressed.
"""

from __future__ import annotations


def full_name(user) -> str:
    """ "Nguyễn Văn Quản": family and middle names, then the given name."""
    parts = (user.last_name or "", user.first_name or "")
    return " ".join(part.strip() for part in parts if part.strip())


def apply_vietnamese_name_order(user_model) -> None:
    user_model.get_full_name = full_name
