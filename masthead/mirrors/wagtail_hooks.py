"""A dashboard panel with the last export run and each mirror's last check (stored
results: no network here)."""

from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from . import conf, status
from .models import Mirror


class MirrorStatusPanel(Component):
    name = "mirror_status"
    order = 250
    template_name = "mirrors/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        stale_after = timezone.timedelta(hours=conf.stale_hours())
        now = timezone.now()
        rows = []
        for mirror in Mirror.objects.all():
            generated = mirror.check_generated_at
            rows.append(
                {
                    "mirror": mirror,
                    "age": (now - generated) if generated else None,
                    "stale": bool(generated and now - generated > stale_after),
                }
            )
        last, last_ok = status.latest()
        return {
            "rows": rows,
            "public_key": conf.published_public_key(),
            "last_export": last,
            "last_good_export": last_ok,
        }


@hooks.register("construct_homepage_panels")
def add_mirror_panel(request, panels):
    if request.user.has_perm("mirrors.view_mirror") or request.user.is_superuser:
        panels.append(MirrorStatusPanel())
