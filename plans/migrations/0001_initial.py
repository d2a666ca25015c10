"""The catalogue and the plan adjustments move here from `reports` (issue 23) without touching a row:
this migration only tells Django's state that the models now live in `plans`, on the tables
`reports` made (`reports.0007` forgets them there); `0002` then renames the tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('assessment', '0005_question_unit_en'),
        ('reports', '0006_job_coverage_and_retries'),  # the tables exist
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='ActionCatalogue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(unique=True, verbose_name='code')),
                ('title_zh', models.CharField(max_length=200, verbose_name='title (Chinese)')),
                ('title_en', models.CharField(blank=True, max_length=200, verbose_name='title (English)')),
                ('imported_at', models.DateTimeField(auto_now_add=True, verbose_name='imported at')),
            ],
            options={
                'verbose_name': 'action catalogue',
                'verbose_name_plural': 'action catalogues',
                'db_table': 'reports_actioncatalogue',
            },
        ),
        migrations.CreateModel(
            name='Action',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=30, verbose_name='code')),
                ('direction', models.CharField(choices=[('services', 'Public services'), ('governance', 'Governance'), ('industry', 'Industry and economy'), ('infrastructure', 'Infrastructure')], max_length=20, verbose_name='direction')),
                ('dimension', models.CharField(help_text='Dimension code, e.g. G2.', max_length=20, verbose_name='dimension')),
                ('title_zh', models.CharField(max_length=200, verbose_name='title (Chinese)')),
                ('title_en', models.CharField(blank=True, max_length=300, verbose_name='title (English)')),
                ('description_zh', models.TextField(verbose_name='description (Chinese)')),
                ('description_en', models.TextField(blank=True, verbose_name='description (English)')),
                ('rationale_zh', models.TextField(blank=True, verbose_name='rationale (Chinese)')),
                ('rationale_en', models.TextField(blank=True, verbose_name='rationale (English)')),
                ('policy_zh', models.CharField(blank=True, max_length=300, verbose_name='backing policy (Chinese)')),
                ('policy_en', models.CharField(blank=True, max_length=400, verbose_name='backing policy (English)')),
                ('triggers', models.JSONField(help_text='A list such as [{"question": "G2.1", "below": 3}, {"dimension": "G2", "below": 3}].', verbose_name='triggers')),
                ('target_level', models.PositiveSmallIntegerField(verbose_name='target level')),
                ('cost_tier', models.CharField(choices=[('low', 'Low (under 1 million CNY)'), ('medium', 'Medium (1–5 million CNY)'), ('high', 'High (5–20 million CNY)'), ('very_high', 'Very high (20 million CNY and more)')], max_length=10, verbose_name='cost tier')),
                ('cost_low', models.PositiveIntegerField(verbose_name='cost from (10,000 CNY)')),
                ('cost_high', models.PositiveIntegerField(verbose_name='cost to (10,000 CNY)')),
                ('running_cost', models.PositiveIntegerField(default=0, verbose_name='running cost a year (10,000 CNY)')),
                ('scales_with', models.CharField(blank=True, choices=[('', 'Fixed cost'), ('population', 'Population'), ('townships', 'Number of townships')], help_text='Costs are for a city of 500,000 residents (or 15 townships); they scale by the six-tenths rule.', max_length=12, verbose_name='cost scales with')),
                ('funding', models.JSONField(blank=True, default=list, verbose_name='funding sources')),
                ('stage', models.CharField(choices=[('foundation', 'Foundation'), ('standard', 'Standard'), ('advanced', 'Stretch (advanced)')], default='standard', max_length=12, verbose_name='stage')),
                ('lead_zh', models.CharField(blank=True, max_length=200, verbose_name='lead department (Chinese)')),
                ('lead_en', models.CharField(blank=True, max_length=300, verbose_name='lead department (English)')),
                ('kpi_zh', models.CharField(blank=True, max_length=300, verbose_name='KPI target (Chinese)')),
                ('kpi_en', models.CharField(blank=True, max_length=400, verbose_name='KPI target (English)')),
                ('horizon', models.CharField(choices=[('near', 'Near term (within a year)'), ('medium', 'Medium term (1–3 years)'), ('long', 'Long term (3–5 years)')], max_length=10, verbose_name='horizon')),
                ('prerequisites', models.JSONField(blank=True, default=list, help_text='Action codes; a list of codes where any one is enough, e.g. ["G-ORG-01", ["I-CLOUD-01", "I-CLOUD-02"]].', verbose_name='prerequisites')),
                ('suits_specialties', models.JSONField(blank=True, default=list, verbose_name='only for specialties')),
                ('suits_cluster', models.BooleanField(blank=True, null=True, verbose_name='only inside / outside a city cluster')),
                ('suits_regions', models.JSONField(blank=True, default=list, verbose_name='only for regions')),
                ('suits_functional_zones', models.JSONField(blank=True, default=list, verbose_name='only for functional zones')),
                ('suits_provinces', models.JSONField(blank=True, default=list, verbose_name='only for provinces')),
                ('suits_levels', models.JSONField(blank=True, default=list, verbose_name='only for administrative levels')),
                ('suits_terrains', models.JSONField(blank=True, default=list, verbose_name='only for terrains')),
                ('suits_min_population', models.PositiveIntegerField(blank=True, null=True, verbose_name='only from a population of (10,000 residents)')),
                ('catalogue', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='plans.actioncatalogue')),
            ],
            options={
                'verbose_name': 'action',
                'verbose_name_plural': 'actions',
                'db_table': 'reports_action',
                'ordering': ['code'],
                'constraints': [models.UniqueConstraint(fields=('catalogue', 'code'), name='action_code_unique_in_catalogue')],
            },
        ),
        migrations.CreateModel(
            name='PlanAdjustment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action_code', models.CharField(max_length=30, verbose_name='action')),
                ('hidden', models.BooleanField(default=False, verbose_name='hidden')),
                ('phase', models.CharField(blank=True, choices=[('near', 'Near term (within a year)'), ('medium', 'Medium term (1–3 years)'), ('long', 'Long term (3–5 years)')], max_length=10, verbose_name='moved to phase')),
                ('order', models.IntegerField(blank=True, null=True, verbose_name='order')),
                ('remark', models.TextField(blank=True, max_length=2000, verbose_name="consultant's remark")),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='plan_adjustments', to='assessment.assessment')),
                ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'plan adjustment',
                'verbose_name_plural': 'plan adjustments',
                'db_table': 'reports_planadjustment',
                'constraints': [models.UniqueConstraint(fields=('assessment', 'action_code'), name='one_adjustment_per_action')],
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[])]
