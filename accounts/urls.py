from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("wachtwoord/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "wachtwoord/gewijzigd/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("tweestapsverificatie/", views.two_factor_verify, name="two-factor-verify"),
    path("tweestapsverificatie/instellen/", views.two_factor_setup, name="two-factor-setup"),
    # Monitoring and site-wide plain pages: reachable without login.
    path("healthz", views.healthz, name="healthz"),
    path(".well-known/security.txt", views.security_txt, name="security-txt"),
    path("toegankelijkheidsverklaring/", views.accessibility, name="accessibility"),
]
