"""Signals accounts sends, so that apps above it (the HR panel) can act on a person's account
without accounts knowing them."""

from django.dispatch import Signal

# Sent by accounts.services.account_delete inside its transaction, before the account is deleted,
# with `user` and `reference` (personal_data.subject_reference): a receiver replaces what it keeps
# about the person by the reference. An exception in a receiver rolls the erasure back.
account_erasing = Signal()
