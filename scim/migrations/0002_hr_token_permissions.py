"""Let the "HR" group see, create and revoke SCIM tokens (/hr/scim-tokens/); deleting one is nobody's."""

from django.db import migrations

from careerpath.migration_grants import hr_grant


class Migration(migrations.Migration):
    dependencies = [
        ("scim", "0001_tokens_and_identities"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [hr_grant("scim", ("view_scimtoken", "add_scimtoken", "change_scimtoken"))]
