"""Let the "HR" group view, make and revoke API tokens (hr's API tokens page); never delete one."""

from django.db import migrations

from careerpath.migration_grants import hr_grant


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_api_tokens"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [hr_grant("api", ("view_apitoken", "add_apitoken", "change_apitoken"))]
