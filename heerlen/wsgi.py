import os

from django.core.wsgi import get_wsgi_application

from core.tempfiles import use_private_tempdir

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heerlen.settings")
# Temporary files (openpyxl's export sheets) of a killed worker are removed at the next start.
use_private_tempdir()
application = get_wsgi_application()
