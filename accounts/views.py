
from django.contrib.auth import views as auth_views

from accounts.mail import mail_configured


class LoginView(auth_views.LoginView):
    """Django's login page; it offers a password reset by mail only when mail is configured, and
    otherwise says whom to ask."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "password_reset_by_mail": mail_configured()}
