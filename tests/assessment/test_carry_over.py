"""Carrying a city's answers to a new bank version: a new draft, the source untouched."""

import copy
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import carry_rules
from assessment.answering import save_answer
from assessment.bank_file import clone_version, import_bank, publish_version
from assessment.carry_over import CarryError, preview_carry
from assessment.lifecycle import carry_over, submit_assessment
from assessment.models import Answer, Assessment, Question
from cities.models import MembershipRole
from tests.assessment.test_bank_mapping import next_bank
from tests.factories import make_city, make_official, make_user, make_version

pytestmark = pytest.mark.django_db


def answer(assessment, code, **values):
    question = Question.objects.get(dimension__version=assessment.version, code=code)
    return Answer.objects.create(assessment=assessment, question=question, **values)


@pytest.fixture
def source():
    """A submitted 2025 assessment on test-bank, every question answered."""
    version = make_version(publish=True)
    assessment = Assessment.objects.create(city=make_city(name="平湖市"), version=version, year=2025)
    answer(assessment, "S1.1", level=4, comment="已上线", evidence_url="https://zwfw.example.gov.cn")
    answer(assessment, "S1.2", number=72.5, comment="2025年统计")
    answer(assessment, "G1.1", items=["a", "b"])
    answer(assessment, "G1.2", yes=True)
    answer(assessment, "I1.1", number=1.45)
    submit_assessment(assessment, user=None)
    assessment.refresh_from_db()
    assert assessment.stored_scores is not None
    return assessment


@pytest.fixture
def successor(source):
    return import_bank(next_bank(), publish=True)


def values(assessment):
    return {
        a.question.code: (a.level, a.yes, a.items, a.number, a.not_applicable, a.comment, a.evidence_url)
        for a in assessment.answers.select_related("question")
    }


def test_the_preview_sorts_every_new_question_before_anything_is_saved(source, successor):
    preview = preview_carry(source, successor)
    assert {row.question.code: row.outcome.status for row in preview.rows} == {
        "S1.1": "review",
        "S1.2": "carried",
        "S1.3": "new",
        "G1.1": "carried",
        "G1.2": "review",
        "I1.1": "carried",
    }
    assert preview.counts == {"carried": 3, "review": 2, "new": 1, "unanswered": 0}
    assert preview.retired == []
    assert Assessment.objects.count() == 1


def test_carrying_makes_a_new_draft_and_never_changes_the_source(source, successor):
    before_values, before_scores = values(source), copy.deepcopy(source.stored_scores)
    user = make_user()
    draft = carry_over(source, version=successor, year=2026, user=user)
    assert draft.is_draft and draft.version == successor and draft.based_on == source and draft.year == 2026
    carried = values(draft)
    for code in ("S1.2", "G1.1", "I1.1"):  # same: equal to the source's answer, comment and evidence
        assert carried[code] == before_values[code]
    assert carried["S1.1"][0] == 3  # level 4 through [1, 1, 2, 3, 4]
    assert carried["G1.2"][0] == 4  # yes → level 4
    assert "S1.3" not in carried
    flagged = set(draft.answers.filter(needs_review=True).values_list("question__code", flat=True))
    assert flagged == {"S1.1", "G1.2"}
    source.refresh_from_db()
    assert values(source) == before_values and source.stored_scores == before_scores and not source.is_draft
    assert "3 carried, 2 to review, 1 new or unanswered" in draft.events.get().reason


def test_confirming_a_carried_answer_marks_it_reviewed(source, successor):
    draft = carry_over(source, version=successor, year=2026, user=None)
    stored = draft.answers.get(question__code="S1.1")
    save_answer(
        assessment=draft,
        question=stored.question,
        values={"level": stored.level},
        base_revision=stored.revision,
        user=None,
        confirm=True,
    )
    stored.refresh_from_db()
    assert not stored.needs_review


def test_changing_a_carried_answer_marks_it_reviewed(source, successor):
    draft = carry_over(source, version=successor, year=2026, user=None)
    stored = draft.answers.get(question__code="S1.1")
    level = 5 if stored.level != 5 else 4
    save_answer(
        assessment=draft, question=stored.question, values={"level": level}, base_revision=stored.revision, user=None
    )
    stored.refresh_from_db()
    assert not stored.needs_review and stored.level == level


def test_a_year_already_taken_is_refused_and_nothing_is_written(source, successor):
    Assessment.objects.create(city=source.city, version=successor, year=2026)
    with pytest.raises(CarryError, match="already has an assessment for 2026"):
        carry_over(source, version=successor, year=2026, user=None)
    assert Answer.objects.filter(assessment__year=2026).count() == 0


def test_migrate_answers_prints_the_summary_and_the_new_id(source, successor):
    out = StringIO()
    call_command("migrate_answers", str(source.pk), "--to", "test-bank-2", stdout=out)
    lines = out.getvalue().splitlines()
    assert "3 carried, 2 to review, 1 new, 0 with nothing to carry; not continued: none." in lines
    draft = Assessment.objects.get(pk=int(lines[-1]))
    assert draft.year == 2026 and draft.version == successor


def test_migrate_answers_dry_run_writes_nothing(source, successor):
    call_command("migrate_answers", str(source.pk), "--to", "test-bank-2", "--dry-run", stdout=StringIO())
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999999", "--to", "test-bank-2"], "No assessment with id 999999."),
        (["{source}", "--to", "smc-1999"], "No questionnaire version 'smc-1999'."),
        (["{source}", "--to", "test-bank-2", "--year", "2025"], "already has an assessment for 2025"),
    ],
)
def test_migrate_answers_refuses_bad_input_in_one_line(source, successor, args, message):
    args = [arg.format(source=source.pk) for arg in args]
    with pytest.raises(CommandError, match=message):
        call_command("migrate_answers", *args, stdout=StringIO())
    assert Assessment.objects.count() == 1


def test_without_a_mapping_answers_carry_by_code_and_type(source):
    clone = clone_version(source.version, code="test-bank-clone")
    publish_version(clone)
    draft = carry_over(source, version=clone, year=2026, user=None)
    assert values(draft) == values(source)
    assert not draft.answers.filter(needs_review=True).exists()


# The rules, over random mappings -------------------------------------------------------

TYPES = ("level", "yes_no", "checklist", "number")
ITEMS = ("a", "b", "c")


@st.composite
def old_answer(draw, type_):
    if draw(st.integers(0, 9)) == 0:
        return carry_rules.Value(not_applicable=True, comment=draw(st.text(max_size=3)))
    value = {
        "level": lambda: {"level": draw(st.integers(1, 5))},
        "yes_no": lambda: {"yes": draw(st.booleans())},
        "checklist": lambda: {"items": tuple(draw(st.lists(st.sampled_from(ITEMS), unique=True)))},
        "number": lambda: {"number": draw(st.floats(0, 1e6, allow_nan=False))},
    }[type_]()
    return carry_rules.Value(**value, comment=draw(st.text(max_size=3)), evidence_url=draw(st.sampled_from(["", "u"])))


@st.composite
def migration_case(draw):
    old_types = {f"Q{i}": draw(st.sampled_from(TYPES)) for i in range(draw(st.integers(1, 8)))}
    answers = {code: draw(old_answer(t)) for code, t in old_types.items() if draw(st.booleans())}
    unused = list(old_types)
    targets = []
    for n in range(draw(st.integers(1, 8))):
        how = draw(st.sampled_from(("same", "rescaled", "split", "merged", "new")))
        type_ = draw(st.sampled_from(TYPES))
        sources, levels = (), None
        candidates = [c for c in unused if old_types[c] == type_] if how != "rescaled" else []
        if how in ("same", "split") and candidates:
            sources = (draw(st.sampled_from(candidates)),)
        elif how == "merged" and len(candidates) >= 2 and type_ != "number":
            sources = tuple(draw(st.lists(st.sampled_from(candidates), min_size=2, max_size=3, unique=True)))
        elif how == "rescaled":
            type_ = "level"
            rescalable = [c for c in unused if old_types[c] in ("level", "yes_no")]
            if rescalable:
                sources = (draw(st.sampled_from(rescalable)),)
                if old_types[sources[0]] == "yes_no":
                    levels = {"yes": draw(st.integers(1, 5)), "no": draw(st.integers(1, 5))}
                else:
                    levels = tuple(draw(st.lists(st.integers(1, 5), min_size=5, max_size=5)))
        if not sources:
            how = "new"
        unused = [c for c in unused if c not in sources]
        items = frozenset(draw(st.lists(st.sampled_from(ITEMS), unique=True))) if how != "same" else frozenset(ITEMS)
        continues = carry_rules.Continuation(how, sources, levels)
        targets.append(carry_rules.Target(f"N{n}", type_, draw(st.booleans()), items, continues))
    return targets, answers


@settings(max_examples=300, deadline=None)
@given(migration_case())
def test_every_new_question_gets_one_outcome_that_fits_it(case):
    targets, answers = case
    before = dict(answers)
    outcomes = carry_rules.carry(targets, answers)
    assert answers == before  # the source is never changed
    assert [o.code for o in outcomes] == [t.code for t in targets]
    for target, outcome in zip(targets, outcomes, strict=True):
        continues = target.continues
        if continues.how == "new":
            assert outcome.status == "new" and outcome.value is None
            continue
        answered = [answers[c] for c in continues.sources if c in answers and answers[c].is_answered]
        if not answered:
            assert outcome.status == "unanswered" and outcome.value is None
            continue
        value = outcome.value
        assert outcome.status == ("carried" if continues.how == "same" and value is not None else "review")
        if value is None:  # only a "not applicable" the new question does not allow is dropped
            assert all(a.not_applicable for a in answered) and not target.allow_na
            continue
        if continues.how == "same":
            assert value == answered[0]  # carried exactly: answer, comment and evidence
        if value.not_applicable:
            assert target.allow_na
        elif target.type == "level":
            assert value.level in range(1, 6)
        elif target.type == "checklist":
            assert set(value.items) <= target.items
        elif target.type == "number":
            assert value.number == answered[0].number


# The coordinator's pages ---------------------------------------------------------------


def _start(client, source, successor, **extra):
    data = {"year": 2026, "version": successor.pk, "start_from": source.pk, **extra}
    return client.post(reverse("assessment_start", args=[source.city_id]), data)


def test_the_coordinator_sees_the_summary_then_confirms(client, source, successor):
    client.force_login(make_official(source.city, role=MembershipRole.COORDINATOR))
    response = _start(client, source, successor)
    page = response.content.decode()
    assert response.status_code == 200 and 'id="carry-counts"' in page
    assert "S1.1" in page and "levels rescaled" in page and "new question" in page
    assert Assessment.objects.count() == 1  # nothing saved yet
    response = _start(client, source, successor, confirm="1")
    draft = Assessment.objects.get(city=source.city, year=2026)
    assert response.status_code == 302 and response["Location"] == reverse("assessment_overview", args=[draft.pk])
    overview = client.get(response["Location"]).content.decode()
    assert 'id="to-review"' in overview and "2 carried answers to be reviewed" in overview
    direction = client.get(reverse("assessment_direction", args=[draft.pk, "services"])).content.decode()
    assert direction.count("carried-review") == 1 and "Confirm this answer" in direction


def test_the_summary_is_in_chinese_for_a_chinese_coordinator(chinese_client, source, successor):
    chinese_client.force_login(make_official(source.city, role=MembershipRole.COORDINATOR))
    page = _start(chinese_client, source, successor).content.decode()
    assert "待复核" in page and "按原样沿用" in page


@pytest.mark.parametrize("who", ["respondent", "other city's coordinator", "consultant"])
def test_only_the_citys_coordinator_can_carry_answers(client, source, successor, who):
    other = make_city(name="海宁市")
    user = {
        "respondent": lambda: make_official(source.city),
        "other city's coordinator": lambda: make_official(other, role=MembershipRole.COORDINATOR),
        "consultant": lambda: make_user(consultant=True),
    }[who]()
    client.force_login(user)
    assert _start(client, source, successor).status_code == 404
    assert _start(client, source, successor, confirm="1").status_code == 404
    assert Assessment.objects.count() == 1


def test_another_citys_assessment_cannot_be_the_source(client, source, successor):
    other = make_city(name="海宁市")
    foreign = Assessment.objects.create(city=other, version=source.version, year=2024)
    client.force_login(make_official(source.city, role=MembershipRole.COORDINATOR))
    response = client.post(
        reverse("assessment_start", args=[source.city_id]),
        {"year": 2026, "version": successor.pk, "start_from": foreign.pk, "confirm": "1"},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Assessment.objects.filter(city=source.city, year=2026).exists()


def test_the_preview_reads_in_a_constant_number_of_queries(source, successor, django_assert_max_num_queries):
    # The questions, their items, the source's answers (and the old types, for a version without a mapping):
    with django_assert_max_num_queries(4):
        preview_carry(source, successor)
