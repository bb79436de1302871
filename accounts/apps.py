from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import stamp_session_start

        user_logged_in.connect(stamp_session_start, dispatch_uid="accounts.stamp_session_start")
