from wagtail import hooks

from cchc.accounts.user_admin import (
    CchcAssignRoleBulkAction,
    CchcDeleteBulkAction,
    CchcSetActiveStateBulkAction,
)

# order=1: registered after wagtail.users' own actions of the same type,
# which the bulk action registry then replaces with these.
for action_class in (CchcAssignRoleBulkAction, CchcDeleteBulkAction, CchcSetActiveStateBulkAction):
    hooks.register("register_bulk_action", action_class, order=1)
