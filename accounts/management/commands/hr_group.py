"""Add a person to the HR group, or take them out: `hr_group add EMAIL` / `hr_group remove EMAIL`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import selectors, services


class Command(BaseCommand):
    help = (
        f'Add a person to the "{services.HR_GROUP_NAME}" group (which also lets them into the admin), '
        "or remove them from it."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add", "remove"])
        parser.add_argument("email", help="The email address the person logs in with (any case).")

    def handle(self, *args, action, email, **options):
        user = selectors.user_by_email(email)
        if user is None:
            raise CommandError(f"No account uses the email address {email!r}.")
        try:
            service = services.hr_member_add if action == "add" else services.hr_member_remove
            changed = service(user=user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

        group = services.HR_GROUP_NAME
        if action == "add":
            message = f"{user.email} is now in {group} and can use the admin." if changed else None
            unchanged = f"{user.email} was already in {group}; nothing changed."
        else:
            message = f"{user.email} is no longer in {group}." if changed else None
            unchanged = f"{user.email} was not in {group}; nothing changed."
        if changed:
            self.stdout.write(self.style.SUCCESS(message))
        else:
            self.stdout.write(unchanged)
