"""Log in and out, change password, navigation that fits the role, two languages."""

import pytest
from django.urls import reverse

from cities.models import MembershipRole
from tests.factories import PASSWORD, assign_consultant, make_city, make_official, make_user, make_version

pytestmark = pytest.mark.django_db


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_log_in_with_the_right_password_and_out_again(client):
    make_user(username="li")
    response = client.post(reverse("login"), {"username": "li", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_a_wrong_password_keeps_the_username_and_explains(client):
    make_user(username="li")
    response = client.post(reverse("login"), {"username": "li", "password": "wrong"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "correct username and password" in body
    assert 'value="li"' in body


def test_change_password(client):
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-better-secret-42",
            "new_password2": "a-much-better-secret-42",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-much-better-secret-42")


def nav_of(client, user):
    client.force_login(user)
    body = client.get(reverse("home")).content.decode()
    return {role for role in ("administrator", "consultant", "official") if f'data-nav="{role}"' in body}


def test_navigation_fits_each_role(client):
    city = make_city()
    consultant = make_user(consultant=True)
    assign_consultant(consultant, city)
    assert nav_of(client, make_user(staff=True)) == {"administrator"}
    assert nav_of(client, consultant) == {"consultant"}
    assert nav_of(client, make_official(city, role=MembershipRole.COORDINATOR)) == {"official"}
    assert nav_of(client, make_official(city, role=MembershipRole.RESPONDENT)) == {"official"}
    assert nav_of(client, make_user()) == set()


def test_home_lists_the_consultants_cities_and_not_others(client):
    mine = make_city(name="甲市", name_en="Jiashi")
    make_city(name="乙市", name_en="Yishi")
    consultant = make_user(consultant=True)
    assign_consultant(consultant, mine)
    client.force_login(consultant)
    body = client.get(reverse("home")).content.decode()
    assert "Jiashi" in body and "Yishi" not in body


def test_home_tells_a_user_without_a_city_what_to_do(client):
    client.force_login(make_user())
    assert "not yet a member of any city" in client.get(reverse("home")).content.decode()


def test_home_uses_few_queries(client, django_assert_max_num_queries):
    city = make_city()
    user = make_official(city)
    make_version(publish=True)
    client.force_login(user)
    with django_assert_max_num_queries(8):
        client.get(reverse("home"))


def test_the_interface_is_chinese_by_default(chinese_client):
    make_user(username="li")
    body = chinese_client.get(reverse("login")).content.decode()
    assert '<html lang="zh-hans">' in body
    assert "登录" in body


def test_english_can_be_chosen_from_any_page_and_sticks(chinese_client):
    user = make_user()
    chinese_client.force_login(user)
    response = chinese_client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    body = chinese_client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body and "Welcome" in body
    chinese_client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("home")})
    assert "欢迎" in chinese_client.get(reverse("home")).content.decode()


def test_every_page_offers_the_language_switch(client):
    client.force_login(make_user())
    for url in (reverse("home"), reverse("login"), reverse("password_change")):
        body = client.get(url, follow=True).content.decode()
        assert 'name="language" value="en"' in body and 'name="language" value="zh-hans"' in body


def test_question_bank_text_follows_the_language(chinese_client):
    version = make_version(publish=True)
    chinese_client.force_login(make_user())
    url = reverse("questionnaire_preview", args=[version.code])
    assert "一网通办的程度" in chinese_client.get(url).content.decode()
    chinese_client.post(reverse("set_language"), {"language": "en", "next": url})
    english = chinese_client.get(url).content.decode()
    assert "How far is one-stop service?" in english
    assert "有数据目录吗" in english  # no English text: falls back to Chinese
