"""Keep the Administrators group complete as apps and upgrades add permissions."""

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission

from .editorial import ADMINISTRATORS, ensure_permissions


def last_app_with_models():
    return [app for app in global_apps.get_app_configs() if app.models_module][-1]


def grant_administrators_everything(sender, using="default", **kwargs):
    # post_migrate fires once per app that has models (not for this one), so act once, on
    # the last. Django creates permissions app by app after `migrate`; the data migration
    # could only grant those that existed then, so top up here. Only Administrators: the
    # other groups are deliberately narrow and may have been tuned by hand.
    if sender.label != last_app_with_models().label:
        return
    admins = Group.objects.using(using).filter(name=ADMINISTRATORS).first()
    if admins is None:
        return
    ensure_permissions(global_apps)
    admins.permissions.add(*Permission.objects.using(using).exclude(group=admins))
