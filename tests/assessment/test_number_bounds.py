"""Number answers stay within what the question can mean (issue 13): a share from 0 to 100, nothing
negative where no threshold is, nothing beyond 10^9 — through autosave and through files."""

import pytest
from django.core.management import CommandError, call_command

from assessment.models import Answer, Assessment
from assessment.models.bank import number_range
from tests.assessment.answering_helpers import make_team, post_answer, stored
from tests.assessment.test_answers_import import answers_data, write
from tests.factories import make_city, make_version

pytestmark = pytest.mark.django_db


def test_the_range_follows_the_unit_and_the_thresholds():
    assert number_range("%", [20, 40, 60, 80]) == (0, 100)
    assert number_range("PUE", [1.8, 1.6, 1.5, 1.3]) == (0, 1e9)
    assert number_range("%", [-10, 0, 10, 20]) == (-1e9, 100)
    assert number_range("%", [50, 100, 150, 200]) == (0, 1e9)  # a percentage that may pass 100 (growth)


@pytest.mark.parametrize(
    ("code", "value"), [("S1.2", "1e308"), ("S1.2", "-1e308"), ("S1.2", "100.5"), ("S1.2", "-3"), ("I1.1", "2e9")]
)
def test_autosave_refuses_a_number_out_of_range_and_keeps_the_stored_one(client, code, value):
    team = make_team()
    client.force_login(team.coordinator)
    post_answer(client, team.assessment, code, {"number": "50" if code == "S1.2" else "1.4"})
    response = post_answer(client, team.assessment, code, {"number": value}, revision=1)
    assert response.status_code == 400
    assert "Enter a number from" in " ".join(sum(response.json()["errors"].values(), []))
    assert stored(team.assessment, code).number in (50, 1.4)


@pytest.mark.parametrize("value", [1e308, -1e308, 250])
def test_an_answers_file_with_a_number_out_of_range_is_refused_whole(tmp_path, value):
    make_version(publish=True)
    make_city(name="昆山市")
    path = write(tmp_path, answers_data(answers={"S1.1": 3, "S1.2": value}))
    with pytest.raises(CommandError, match=r"S1.2.*expected a number from 0 to 100"):
        call_command("import_answers", str(path))
    assert not Assessment.objects.exists() and not Answer.objects.exists()
