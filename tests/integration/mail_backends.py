"""Email backends for worker processes under test: visible across processes, or just counted."""

import os
import time
import uuid

from django.core.mail.backends.base import BaseEmailBackend


class DirectoryBackend(BaseEmailBackend):
    """Each message becomes one file, `<reminder id>-<random>.eml`, written atomically.

    A test in another process counts the files to see exactly what was delivered. `delay`
    seconds pass before each delivery, so a test can stop a worker in the middle of a batch.
    """

    def __init__(self, *, directory, delay=0.0, **kwargs):
        super().__init__(**kwargs)
        self.directory = directory
        self.delay = delay
        os.makedirs(directory, exist_ok=True)

    def send_messages(self, email_messages):
        for message in email_messages:
            if self.delay:
                time.sleep(self.delay)
            reminder = message.extra_headers.get("X-Careerpath-Reminder", "none")
            name = f"{reminder}-{uuid.uuid4().hex}.eml"
            partial = os.path.join(self.directory, f".{name}.part")
            with open(partial, "wb") as handle:
                handle.write(message.message().as_bytes())
            os.replace(partial, os.path.join(self.directory, name))
        return len(email_messages)


class CountingBackend(BaseEmailBackend):
    """Serialises each message as SMTP would, counts it, and keeps nothing (for the benchmark)."""

    sent = 0

    def send_messages(self, email_messages):
        for message in email_messages:
            message.message().as_bytes()
        CountingBackend.sent += len(email_messages)
        return len(email_messages)
