from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hub.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from hub.accounts import receivers

        receivers.connect()

        # Sign-ins, failures and sign-outs reach the audit log from here.
        from hub.accounts import signals

        signals.connect()
