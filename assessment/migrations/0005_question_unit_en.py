"""Number questions get an English unit (issue 15): the field, and the English of the units the shipped
banks use, filled in for every version already loaded (published ones too: a translation added beside
the Chinese unit changes no answer and no score)."""

from django.db import migrations, models

# The Chinese units of smc-2026 and smc-2027, and a few common ones, with their English.
KNOWN_UNITS = {
    "%": "%",
    "‰": "‰",
    "个/万人": "per 10,000 residents",
    "PUE": "PUE",
    "元": "CNY",
    "万元": "10,000 CNY",
    "亿元": "100 million CNY",
    "天": "days",
    "小时": "hours",
    "分钟": "minutes",
}


def fill_english_units(apps, schema_editor):
    Question = apps.get_model("assessment", "Question")
    for unit, english in KNOWN_UNITS.items():
        Question.objects.filter(type="number", unit=unit, unit_en="").update(unit_en=english)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0004_bank_mapping_and_carried_answers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="question",
            name="unit",
            field=models.CharField(
                blank=True, help_text="Number questions only.", max_length=30, verbose_name="unit (Chinese)"
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="unit_en",
            field=models.CharField(
                blank=True,
                help_text="Shown on English pages, e.g. “per 10,000 residents” for 个/万人; blank: the Chinese unit.",
                max_length=30,
                verbose_name="unit (English)",
            ),
        ),
        migrations.RunPython(fill_english_units, migrations.RunPython.noop),
    ]
