"""Atomic versions: a crash, a full disk or a read-only destination never touch `current`."""

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from masthead.mirrors import files
from masthead.mirrors.export import ExportError
from masthead.mirrors.pipeline import run
from masthead.mirrors.verify import verify

REPO = Path(__file__).resolve().parents[2]


def current_target(dest):
    return os.readlink(dest / "current")


def test_versions_switch_and_old_ones_are_pruned(site, dest, settings):
    settings.MASTHEAD_MIRROR_KEEP_VERSIONS = 2
    first = run(dest=dest).version
    assert current_target(dest) == f"versions/{first.name}"
    second = run(dest=dest).version
    third = run(dest=dest).version
    assert current_target(dest) == f"versions/{third.name}"
    names = sorted(path.name for path in (dest / "versions").iterdir())
    assert names == sorted([second.name, third.name])
    assert not first.exists()


def test_full_disk_stops_the_export_and_keeps_the_live_version(site, dest, monkeypatch):
    run(dest=dest)
    before = current_target(dest)
    calls = {"n": 0}
    real_write = files.write_bytes

    def write_until_full(path, data):
        calls["n"] += 1
        if calls["n"] > 10:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_write(path, data)

    monkeypatch.setattr(files, "write_bytes", write_until_full)
    with pytest.raises(ExportError, match="disk is full.*current version is unchanged"):
        run(dest=dest)
    assert current_target(dest) == before
    assert verify(str(dest)).ok
    assert not list((dest / "versions").glob(".build-*"))


def test_non_writable_destination_is_a_clear_error(site, dest):
    run(dest=dest)
    before = current_target(dest)
    versions = dest / "versions"
    if os.geteuid() == 0:
        # root ignores permission bits; the immutable flag stops it too.
        subprocess.run(["chattr", "+i", str(versions)], check=True)
    else:
        versions.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="not writable|Permission|not permitted"):
            run(dest=dest)
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(versions)], check=True)
        else:
            versions.chmod(0o700)
    assert current_target(dest) == before
    assert verify(str(dest)).ok


def test_destination_that_is_a_file_is_a_clear_error(db, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="cannot export to"):
        run(dest=blocker / "mirror")


def test_current_that_is_a_real_directory_is_not_replaced(db, dest):
    (dest / "current").mkdir(parents=True)
    with pytest.raises(ExportError, match="not a symlink"):
        run(dest=dest)


SETUP = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from masthead.news.models import ArticlePage, HomePage, SectionPage
    home = HomePage.objects.get()
    section = SectionPage(title="News")
    home.add_child(instance=section)
    section.save_revision().publish()
    for n in range(int(sys.argv[2])):
        story = ArticlePage(title=f"Story {n}", standfirst="S.", body=[("paragraph", "<p>B</p>")])
        section.add_child(instance=story)
        story.save_revision().publish()
    call_command("mirror", "export", sys.argv[1], "--no-progress")
    """
)


def test_kill_9_mid_export_leaves_the_previous_version_serving(tmp_path):
    """A real process, a real SIGKILL: `current` still points at a complete, valid copy."""
    dest = tmp_path / "mirror"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "masthead.settings.base",
        "MASTHEAD_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "SECRET_KEY": "kill-test",
        "DEBUG": "1",  # plain static storage: no collectstatic needed
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "MASTHEAD_MIRROR_TARGETS": "",
    }
    subprocess.run(
        [sys.executable, "-c", SETUP, str(dest), "120"],
        cwd=REPO,
        env=env,
        check=True,
        timeout=600,
    )
    before = current_target(dest)
    assert verify(str(dest)).ok
    process = subprocess.Popen(
        [sys.executable, "-m", "masthead.cli", "mirror", "export", str(dest), "--no-progress"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            builds = list((dest / "versions").glob(".build-*"))
            if builds and sum(1 for _ in builds[0].rglob("*.html")) >= 20:
                break
            assert process.poll() is None, "the export finished before it could be killed"
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert current_target(dest) == before
    report = verify(str(dest))
    assert report.ok, report.lines()
    # The next run (rendering in two processes) clears the half-built directory.
    subprocess.run(
        [sys.executable, "-m", "masthead.cli", "mirror", "export", str(dest), "--workers", "2"],
        cwd=REPO,
        env=env,
        check=True,
        timeout=600,
        capture_output=True,
    )
    assert current_target(dest) != before
    assert not list((dest / "versions").glob(".build-*"))
    report = verify(str(dest))
    assert report.ok, report.lines()
    assert report.checked > 120
