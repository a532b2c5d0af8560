"""allauth's EmailAddress rows for the accounts made before allauth (issue 17).

allauth lets nobody log in whose address has no confirmed EmailAddress row (ACCOUNT_EMAIL_VERIFICATION
= "mandatory"). Before allauth, an account's address counted as confirmed unless the account was a
sign-up still waiting for its activation link (`signup_pending`): sign-up accounts became active and
lost the mark when the link was followed, and accounts HR, the directory or a command made were never
marked. So every account gets its address as its primary one, confirmed unless `signup_pending`.
"""

from django.db import migrations


def email_addresses_create(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    have = set(EmailAddress.objects.values_list("user_id", flat=True))
    rows = [
        EmailAddress(user_id=user.pk, email=user.email, primary=True, verified=not user.signup_pending)
        for user in User.objects.exclude(pk__in=have).only("pk", "email", "signup_pending").iterator()
    ]
    EmailAddress.objects.bulk_create(rows, batch_size=1000)


def email_addresses_delete(apps, schema_editor):
    apps.get_model("account", "EmailAddress").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0012_credential_earned"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(email_addresses_create, email_addresses_delete)]
