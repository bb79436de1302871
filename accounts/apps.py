from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts en tweestapsverificatie"

    def ready(self):
        # Signal wiring: the middleware module uses the models, loaded only once apps are ready.
        from accounts.middleware import stamp_session_start

        user_logged_in.connect(stamp_session_start, dispatch_uid="accounts.stamp_session_start")
