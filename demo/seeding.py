"""The whole demo: cities, the question banks and their rules for checking answers, accounts, the action
catalogue and assessments (idempotent).

It spans the apps, so it lives above them: each app seeds its own part.
"""

from django.db import transaction

from assessment.bank_file import import_bank, read_bank_file
from assessment.consistency_file import import_rules, read_rules_file
from assessment.demo import seed_demo_assessments
from assessment.models import QuestionnaireVersion
from cities.demo import FIXTURES, account_lines, seed_demo_accounts, seed_demo_cities
from plans.catalogue_file import import_catalogue, read_catalogue_file
from plans.models import ActionCatalogue

BANK_FILES = [FIXTURES / "questionnaire-smc-2026.yaml", FIXTURES / "questionnaire-smc-2027.yaml"]
RULES_FILES = [FIXTURES / "checks-smc-2026.yaml", FIXTURES / "checks-smc-2027.yaml"]  # one per bank, beside it
CATALOGUE_FILE = FIXTURES / "actions-2028.yaml"


@transaction.atomic
def seed_demo(*, login_url: str = "http://127.0.0.1:8000/") -> list[str]:
    """Load everything a new user needs to see the app at work; running it twice changes nothing.

    Returns the lines to print (what was done, then where to log in with which demo account).
    """
    lines = [seed_demo_cities(), *map(_seed_bank, BANK_FILES), *map(_seed_rules, RULES_FILES)]
    lines += [seed_demo_accounts(), _seed_catalogue()]
    lines += seed_demo_assessments() or ["Demo assessments: already there."]
    return [*lines, "", *account_lines(login_url)]


def _seed_bank(path) -> str:
    """Load and publish one bank file (in order: a version continues one loaded before it)."""
    bank = read_bank_file(path)
    if QuestionnaireVersion.objects.filter(code=bank["code"]).exists():
        return f"Question bank {bank['code']}: already loaded."
    import_bank(bank, publish=True)
    return f"Question bank {bank['code']}: loaded and published."


def _seed_rules(path) -> str:
    """Load a bank's rules for checking answers; a file that changed becomes their next revision."""
    rule_set, added = import_rules(read_rules_file(path), source=path.name)
    state = "loaded" if added else "already loaded"
    return f"Rules of {rule_set.version.code}: revision {rule_set.revision}, {rule_set.rule_count} rules, {state}."


def _seed_catalogue() -> str:
    catalogue = read_catalogue_file(CATALOGUE_FILE)
    if ActionCatalogue.objects.filter(code=catalogue["code"]).exists():
        return f"Action catalogue {catalogue['code']}: already loaded."
    imported = import_catalogue(catalogue)
    return f"Action catalogue {imported.code}: {imported.actions.count()} actions loaded."
