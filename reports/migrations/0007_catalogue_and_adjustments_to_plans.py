"""The catalogue and the plan adjustments leave `reports` for `plans` (issue 23): forgotten here in
Django's state only; their tables and rows stay, and `plans` takes them over."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0006_job_coverage_and_retries'),
        ('plans', '0001_initial'),  # plans holds the models before they are forgotten here
    ]

    state_operations = [
        migrations.RemoveField(
            model_name='planadjustment',
            name='assessment',
        ),
        migrations.RemoveField(
            model_name='planadjustment',
            name='updated_by',
        ),
        migrations.DeleteModel(
            name='Action',
        ),
        migrations.DeleteModel(
            name='ActionCatalogue',
        ),
        migrations.DeleteModel(
            name='PlanAdjustment',
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[])]
