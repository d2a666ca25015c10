"""The rules for checking answers in the admin: read-only, changed only by importing a rules file."""

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.consistency_file import import_rules
from assessment.models import CheckRuleSet
from tests.assessment.test_answer_checks import RULES
from tests.factories import make_user, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(staff=True))
    return client


def upload(admin_client, data, name="checks.yaml"):
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
    return admin_client.post(
        reverse("admin:assessment_checkruleset_import"), {"file": SimpleUploadedFile(name, text)}, follow=True
    )


def test_a_rule_set_is_shown_read_only_with_every_rule(admin_client):
    version = make_version(publish=True)
    rule_set, _ = import_rules({"questionnaire": version.code, "rules": RULES})
    page = admin_client.get(reverse("admin:assessment_checkruleset_change", args=[rule_set.pk])).content.decode()
    assert "one-stop-without-catalogue" in page and "S1.1 G1.2" in page and "pue-range" in page
    assert 'value="Save"' not in page and "<textarea" not in page
    listing = admin_client.get(reverse("admin:assessment_checkruleset_changelist")).content.decode()
    assert reverse("admin:assessment_checkruleset_import") in listing
    assert reverse("admin:assessment_checkruleset_add") not in listing


def test_a_rule_set_cannot_be_changed_or_deleted_through_the_admin(admin_client):
    version = make_version(publish=True)
    rule_set, _ = import_rules({"questionnaire": version.code, "rules": RULES})
    change = reverse("admin:assessment_checkruleset_change", args=[rule_set.pk])
    assert admin_client.post(change, {"revision": 9}).status_code == 403
    delete = reverse("admin:assessment_checkruleset_delete", args=[rule_set.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert CheckRuleSet.objects.get(pk=rule_set.pk).revision == 1


def test_importing_a_rules_file_in_the_admin_adds_a_revision_and_marks_it_in_force(admin_client):
    version = make_version(publish=True)
    import_rules({"questionnaire": version.code, "rules": RULES})
    page = upload(admin_client, {"questionnaire": version.code, "rules": RULES[:1]}).content.decode()
    assert "Imported the rules of test-bank: revision 2, now in force." in page
    assert [r.revision for r in CheckRuleSet.objects.order_by("revision")] == [1, 2]


def test_a_bad_rules_file_is_refused_in_the_admin_with_every_problem_and_nothing_written(admin_client):
    version = make_version(publish=True)
    bad = [{**RULES[0], "severity": "fatal"}, {**RULES[1], "min": "one"}]
    page = upload(admin_client, {"questionnaire": version.code, "rules": bad}).content.decode()
    assert "The file was not imported: 2 problems." in page
    assert "rules[0].severity: expected one of warning, notice, got &#x27;fatal&#x27;" in page
    assert "rules[1].min: expected a number, got &#x27;one&#x27;" in page
    assert not CheckRuleSet.objects.exists()
