"""Demo cities and an account for every role (idempotent); `demo.seeding` puts the whole demo together."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from cities.city_file import load_city_file, upsert_cities
from cities.models import City, CityMembership, ConsultantAssignment, MembershipRole

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
CITY_FILE = FIXTURES / "cities.yaml"
DEMO_PASSWORD = "demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: str
    city: str = ""  # Chinese name, for officials
    department: str = ""
    province: str = ""  # for a provincial analyst


DEMO_ACCOUNTS = [
    DemoAccount("admin", "系统管理员", "administrator"),
    DemoAccount("consultant", "王顾问", "consultant"),
    DemoAccount("jiangsu-analyst", "周分析", "analyst", department="江苏省数据局", province="jiangsu"),
    DemoAccount("kunshan-coordinator", "李协调", MembershipRole.COORDINATOR, "昆山市", "昆山市政务服务管理办公室"),
    DemoAccount("kunshan-services", "张晓燕", MembershipRole.RESPONDENT, "昆山市", "昆山市政务服务管理办公室"),
    DemoAccount("kunshan-industry", "陈建国", MembershipRole.RESPONDENT, "昆山市", "昆山市工业和信息化局"),
    DemoAccount("dingxi-coordinator", "赵协调", MembershipRole.COORDINATOR, "定西市", "定西市大数据中心"),
    DemoAccount("dingxi-respondent", "马丽", MembershipRole.RESPONDENT, "定西市", "定西市农业农村局"),
]
CONSULTANT_CITIES = ["昆山市", "定西市", "曹县", "开封市", "平湖市", "张家港市"]


def seed_demo_cities() -> str:
    """Create or update the demo cities from fixtures/cities.yaml; the line to print."""
    created, changed = upsert_cities(load_city_file(CITY_FILE))
    return f"Cities: {created} added, {changed} updated, {City.objects.count()} in all."


def seed_demo_accounts() -> str:
    """An account for every role, the officials' memberships and the consultant's cities; the line to print."""
    cities = {c.name_zh: c for c in City.objects.filter(name_zh__in=[*CONSULTANT_CITIES, "昆山市", "定西市"])}
    new_users = [account.username for account in DEMO_ACCOUNTS if _ensure_account(account, cities)]
    consultant = get_user_model().objects.get(username="consultant")
    for name in CONSULTANT_CITIES:
        ConsultantAssignment.objects.get_or_create(consultant=consultant, city=cities[name])
    return f"Demo accounts: {len(new_users)} created." if new_users else "Demo accounts: already there."


def account_lines(login_url: str) -> list[str]:
    """How to log in at `login_url`, and the demo accounts."""
    lines = [f"Log in at {login_url} with one of these accounts (password: {DEMO_PASSWORD}):"]
    for account in DEMO_ACCOUNTS:
        where = f" · {account.city}" if account.city else (f" · {account.province}" if account.province else "")
        lines.append(f"  {account.username:<22} {account.role}{where}")
    return lines


def _ensure_account(account: DemoAccount, cities: dict[str, City]) -> bool:
    """Create the account if it is missing (leaving an existing one as it is); True if created."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=account.username,
        defaults={
            "first_name": account.name,
            "is_staff": account.role == "administrator",
            "is_superuser": account.role == "administrator",
            "is_consultant": account.role == "consultant",
            "analyst_province": account.province,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if account.city:
        CityMembership.objects.get_or_create(
            user=user, city=cities[account.city], defaults={"role": account.role, "department": account.department}
        )
    return created
