"""The moved models' tables take their new app's names (ALTER TABLE … RENAME: every row kept), and
their content types follow them, so the permissions given for them and the admin's history keep
pointing at them."""

from django.db import migrations

MOVED = ("actioncatalogue", "action", "planadjustment")


def content_types_follow(apps, schema_editor, source="reports", target="plans"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_return(apps, schema_editor):
    content_types_follow(apps, schema_editor, source="plans", target="reports")


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("reports", "0007_catalogue_and_adjustments_to_plans"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="actioncatalogue", table=None),
        migrations.AlterModelTable(name="action", table=None),
        migrations.AlterModelTable(name="planadjustment", table=None),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
