from django.conf import settings


def site(request):
    return {"PUBLIC_DASHBOARD": settings.PUBLIC_DASHBOARD, "DEBUG": settings.DEBUG}
