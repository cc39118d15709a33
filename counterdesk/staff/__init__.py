"""Staff: accounts, sign-in with lock-out, and manager approvals.

Passwords are stored as Argon2id hashes (memory-hard). ``MAX_ATTEMPTS`` wrong passwords in
a row lock sign-in for ``LOCK_MINUTES`` (approvals have their own counter); an
administrator (for clerks, a manager) unlocks with :func:`unlock` or a new password.
"""

from .accounts import (
    ROLE_ZH,
    add_user,
    change_own_password,
    create_first_admin,
    create_staff,
    hall_staff,
    list_users,
    may_manage,
    reset_password,
    set_account_enabled,
    unlock,
)
from .actor import Actor, StaffInfo, require_admin, require_manager
from .approvals import Approval, CheckedApproval, authorise, check_approval, record_authorisation
from .passwords import LOCK_MINUTES, MAX_ATTEMPTS, hash_password, validate_password
from .signin import sign_in, verify_password

__all__ = ["LOCK_MINUTES", "MAX_ATTEMPTS", "ROLE_ZH", "Actor", "Approval", "CheckedApproval",
           "StaffInfo", "add_user", "authorise", "change_own_password", "check_approval",
           "create_first_admin", "create_staff", "hall_staff", "hash_password", "list_users",
           "may_manage", "record_authorisation", "require_admin", "require_manager",
           "reset_password", "set_account_enabled", "sign_in", "unlock", "validate_password",
           "verify_password"]
