from django.db import migrations


class Migration(migrations.Migration):
    """ApiToken becomes a careerpath.models.BearerToken, as ScimToken is: its digest field has the same name."""

    dependencies = [("api", "0002_hr_api_token_permissions")]

    operations = [
        migrations.RemoveConstraint(model_name="apitoken", name="api_token_has_hash"),
        migrations.RenameField(model_name="apitoken", old_name="token_hash", new_name="digest"),
    ]
