"""Signals the assessments app sends, so that apps above it (the HR panel) can follow what happens
here without assessments knowing them."""

from django.dispatch import Signal

# Sent by assessments.services.response_submit, inside its transaction, with `response` and `result`
# once the result is stored. A receiver that has work to do queues it with transaction.on_commit.
response_submitted = Signal()
