"""The six specialty industries of SPEC §1: reference data every city profile uses."""

from django.db import migrations

SPECIALTIES = [
    ("agriculture", "特色农业", "Specialty agriculture"),
    ("manufacturing", "制造业", "Manufacturing"),
    ("ecommerce", "电子商务", "E-commerce"),
    ("culture_tourism", "文化旅游", "Culture and tourism"),
    ("digital_industry", "数字产业", "Digital industry"),
    ("ecology", "生态与绿色经济", "Ecology and green economy"),
]


def add_specialties(apps, schema_editor):
    SpecialtyIndustry = apps.get_model("cities", "SpecialtyIndustry")
    for code, name_zh, name_en in SPECIALTIES:
        SpecialtyIndustry.objects.update_or_create(code=code, defaults={"name_zh": name_zh, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("cities", "0001_initial")]
    operations = [migrations.RunPython(add_specialties, migrations.RunPython.noop)]
