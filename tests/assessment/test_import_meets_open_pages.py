"""An import is a save like any other: a page opened before it meets a conflict, never saves over it."""

from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from tests.assessment.answering_helpers import make_team, post_answer, stored

pytestmark = pytest.mark.django_db


def import_file(tmp_path, assessment, answers, comments=None):
    data = {
        "city": assessment.city.name_zh,
        "year": assessment.year,
        "questionnaire": assessment.version.code,
        "answers": answers,
    }
    if comments:
        data["comments"] = comments
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    call_command("import_answers", str(path), stdout=StringIO())


def test_an_import_raises_the_revision_of_each_answer_it_changes(tmp_path):
    team = make_team()
    a = team.assessment
    import_file(tmp_path, a, {"S1.1": 2, "S1.2": 40})
    assert (stored(a, "S1.1").revision, stored(a, "S1.2").revision) == (1, 1)
    import_file(tmp_path, a, {"S1.1": 4}, comments={"S1.2": "统计局数据"})
    assert stored(a, "S1.1").revision == 2 and stored(a, "S1.1").level == 4
    assert stored(a, "S1.2").revision == 2 and stored(a, "S1.2").number == 40  # a comment alone changes it too
    import_file(tmp_path, a, {"S1.1": 4})
    assert stored(a, "S1.1").revision == 2  # the same answer again changes nothing


def test_a_page_opened_before_an_import_meets_a_conflict_instead_of_saving_over_it(client, tmp_path):
    team = make_team()
    a = team.assessment
    client.force_login(team.services)
    post_answer(client, a, "S1.1", {"level": "2"})  # the page now holds revision 1
    import_file(tmp_path, a, {"S1.1": 4})
    response = post_answer(client, a, "S1.1", {"level": "3"}, revision=1)
    assert response.status_code == 409 and response.json()["theirs"]["level"] == 4
    assert stored(a, "S1.1").level == 4


def test_an_imported_answer_is_not_credited_to_whoever_answered_before(client, tmp_path):
    team = make_team()
    a = team.assessment
    client.force_login(team.services)
    post_answer(client, a, "S1.1", {"level": "2"})
    import_file(tmp_path, a, {"S1.1": 4})
    assert stored(a, "S1.1").answered_by is None
