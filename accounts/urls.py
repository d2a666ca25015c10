"""The account pages of django.contrib.auth (under /accounts/): logging in and out, changing
one's password; resetting a forgotten one by mail only once mail is configured (accounts/mail.py)."""

from django.contrib.auth import urls as auth_urls
from django.urls import path

from accounts import views
from accounts.mail import needs_mail

BY_MAIL = {"password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"}

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    *(
        path(str(pattern.pattern), needs_mail(pattern.callback), name=pattern.name)
        if pattern.name in BY_MAIL
        else pattern
        for pattern in auth_urls.urlpatterns
        if pattern.name != "login"
    ),
]
