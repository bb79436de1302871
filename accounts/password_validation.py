"""Password rules with Dutch texts.

Django 5.2 changed the wording of the minimum-length message and its Dutch translation has
not caught up, so that one message would appear in English; this validator brings its own.
"""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return f"Dit wachtwoord is te kort. Het moet minstens {self.min_length} tekens bevatten."

    def get_help_text(self):
        return f"Uw wachtwoord moet minstens {self.min_length} tekens lang zijn."
