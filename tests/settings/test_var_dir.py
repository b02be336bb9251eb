"""Where var/ is by default: beside the package in a checkout, the working directory's otherwise."""

import runpy
import shutil
from pathlib import Path

import masthead.settings

SETTINGS_DIR = Path(masthead.settings.__file__).resolve().parent
REPO = SETTINGS_DIR.parent.parent


def load(monkeypatch, base_py):
    monkeypatch.delenv("MASTHEAD_VAR_DIR", raising=False)
    # CI runs the suite again with DATABASE_URL set; the default database is what is under test.
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "var-dir-test")
    return runpy.run_path(str(base_py))


def test_in_a_checkout_var_is_beside_the_package(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert load(monkeypatch, SETTINGS_DIR / "base.py")["VAR_DIR"] == REPO / "var"


def test_installed_into_site_packages_var_is_the_working_directory_s(monkeypatch, tmp_path):
    # A non-editable install: masthead/ alone under site-packages, no pyproject.toml beside it.
    site_packages = tmp_path / "site-packages"
    shutil.copytree(SETTINGS_DIR, site_packages / "masthead" / "settings")
    deployment = tmp_path / "srv"
    deployment.mkdir()
    monkeypatch.chdir(deployment)
    conf = load(monkeypatch, site_packages / "masthead" / "settings" / "base.py")
    assert conf["VAR_DIR"] == deployment / "var"
    assert conf["DATABASES"]["default"]["NAME"] == str(deployment / "var" / "masthead.sqlite3")
    assert not (site_packages / "var").exists()
