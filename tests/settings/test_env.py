"""Settings in one place: helpers that name a bad variable, and no app reading the environment."""

import ast
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from masthead.settings.env import (
    env_bool,
    env_choice,
    env_extensions,
    env_float,
    env_int,
    env_json,
    env_list,
    env_str,
    env_url,
)

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "masthead"
SETTINGS_DIR = PACKAGE / "settings"
BASE_SETTINGS = SETTINGS_DIR / "base.py"
README = REPO / "README.md"
NAME = "MASTHEAD_TEST_SETTING"


def variables_read_in_base_settings():
    """Every variable name base.py passes to an env_* helper, in the order it reads them."""
    tree = ast.parse(BASE_SETTINGS.read_text())
    names = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id.startswith("env_")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.append(node.args[0].value)
    return names


@pytest.fixture
def load_settings(monkeypatch, tmp_path):
    """Run settings/base.py afresh with exactly the given variables (plus a private var/)."""

    def load(**env):
        for name in [*variables_read_in_base_settings(), "DATABASE_URL"]:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("MASTHEAD_VAR_DIR", str(tmp_path))
        monkeypatch.setenv("SECRET_KEY", "settings-test")
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(BASE_SETTINGS))

    return load


def refusal(monkeypatch, value, helper, *args, **kwargs):
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ImproperlyConfigured) as caught:
        helper(NAME, *args, **kwargs)
    return str(caught.value)


# Each helper: the value it accepts, and the error for one it refuses.


def test_env_int_names_the_variable_the_value_and_the_form(monkeypatch):
    message = refusal(monkeypatch, "abc", env_int, 300, unit="seconds")
    assert message == f"{NAME} must be a whole number of seconds, got 'abc'"
    assert "at least 0" in refusal(monkeypatch, "-5", env_int, 300, unit="seconds", minimum=0)
    assert "(from 1 to 8)" in refusal(monkeypatch, "9", env_int, 1, minimum=1, maximum=8)
    assert "'2.5'" in refusal(monkeypatch, "2.5", env_int, 1)
    monkeypatch.setenv(NAME, " 42 ")
    assert env_int(NAME, 300, minimum=0, maximum=42) == 42


def test_env_float_refuses_words_and_not_a_number(monkeypatch):
    message = refusal(monkeypatch, "a day", env_float, 24.0, unit="hours")
    assert message == f"{NAME} must be a number of hours, got 'a day'"
    assert NAME in refusal(monkeypatch, "nan", env_float, 24.0)
    assert NAME in refusal(monkeypatch, "inf", env_float, 24.0)
    assert "at least 0.1" in refusal(monkeypatch, "0", env_float, 10.0, minimum=0.1)
    monkeypatch.setenv(NAME, "0.25")
    assert env_float(NAME, 24.0) == 0.25


@pytest.mark.parametrize("value", ["maybe", "2", "enabled", "tru"])
def test_env_bool_refuses_what_is_neither_on_nor_off(monkeypatch, value):
    """Before, anything unrecognised silently meant off (SECURE_COOKIES=ture: insecure)."""
    message = refusal(monkeypatch, value, env_bool, True)
    assert message.startswith(f"{NAME} must be on or off")
    assert repr(value) in message


@pytest.mark.parametrize(
    "value, expected",
    [("1", True), ("TRUE", True), ("yes", True), ("On", True)]
    + [("0", False), ("false", False), ("NO", False), ("off", False)],
)
def test_env_bool_reads_both_spellings(monkeypatch, value, expected):
    monkeypatch.setenv(NAME, value)
    assert env_bool(NAME, not expected) is expected


@pytest.mark.parametrize("helper", [env_bool, env_int, env_float, env_str, env_url, env_json])
def test_unset_or_empty_means_the_default(monkeypatch, helper):
    default = object()
    monkeypatch.delenv(NAME, raising=False)
    assert helper(NAME, default) is default
    monkeypatch.setenv(NAME, "  ")
    assert helper(NAME, default) is default


def test_env_json_names_the_variable_and_keeps_a_token_out_of_the_error(monkeypatch):
    broken = '{"cloudflare": {"BEARER_TOKEN": "tok-secret-1234"'
    message = refusal(monkeypatch, broken, env_json, {}, form="a JSON object")
    assert message.startswith(f"{NAME} is not valid JSON")
    assert "expected a JSON object" in message
    assert "tok-secret-1234" not in message
    message = refusal(monkeypatch, '["a"]', env_json, {}, expect=dict, form="a JSON object")
    assert message == f"{NAME} must be a JSON object, got a JSON array"
    monkeypatch.setenv(NAME, '{"a": {"B": 1}}')
    assert env_json(NAME, {}, expect=dict) == {"a": {"B": 1}}


@pytest.mark.parametrize(
    "value", ["news.example", "ftp://news.example", "https://", "http://news.example:port"]
)
def test_env_url_refuses_what_is_not_an_absolute_web_address(monkeypatch, value):
    message = refusal(monkeypatch, value, env_url, "http://127.0.0.1:8000")
    assert message.startswith(f"{NAME} must be an absolute http or https address")
    assert repr(value) in message


def test_env_url_drops_the_trailing_slash(monkeypatch):
    monkeypatch.setenv(NAME, "https://news.example/")
    assert env_url(NAME, None) == "https://news.example"


def test_env_choice_names_the_choices(monkeypatch):
    message = refusal(monkeypatch, "LOUD", env_choice, "INFO", ("DEBUG", "INFO"))
    assert message == f"{NAME} must be one of DEBUG, INFO, got 'LOUD'"
    monkeypatch.setenv(NAME, "debug")
    assert env_choice(NAME, "INFO", ("DEBUG", "INFO")) == "DEBUG"


def test_env_list_drops_blanks(monkeypatch):
    monkeypatch.setenv(NAME, "news.example, ,mirror.example,")
    assert env_list(NAME) == ["news.example", "mirror.example"]
    monkeypatch.delenv(NAME)
    assert env_list(NAME, "a,b") == ["a", "b"]


def test_env_extensions_are_lower_case_without_dots(monkeypatch):
    monkeypatch.setenv(NAME, "PDF, .docx,, .")
    assert env_extensions(NAME, "txt") == ["pdf", "docx"]
    monkeypatch.delenv(NAME)
    assert env_extensions(NAME, "txt,csv") == ["txt", "csv"]


def test_env_extensions_refuses_an_unsafe_one_saying_why(monkeypatch):
    message = refusal(
        monkeypatch, "pdf,.HTML", env_extensions, "pdf", refused={"html"}, why="script"
    )
    assert (
        message
        == f"{NAME} must be a list of file extensions without html (script), got 'pdf,.HTML'"
    )


# The real settings module.


@pytest.mark.parametrize(
    "name, value",
    [
        ("MASTHEAD_CDN_MAX_AGE", "abc"),
        ("DATABASE_CONN_MAX_AGE", "a minute"),
        ("MASTHEAD_MAX_UPLOAD_MB", "0"),
        ("MASTHEAD_IMPORT_MAX_BODY_MB", "two"),
        ("MASTHEAD_MAX_DOCUMENT_MB", "50MB"),
        ("MASTHEAD_MAX_VIDEO_MB", "0"),
        ("MASTHEAD_DOCUMENT_EXTENSIONS", "pdf,html"),
        ("MASTHEAD_DOCUMENT_EXTENSIONS", "pdf, .SVG"),
        ("DEBUG", "maybe"),
        ("SECURE_COOKIES", "ture"),
        ("MASTHEAD_PRIMARY_URL", "news.example"),
        ("MASTHEAD_FRONTEND_CACHE", '["varnish"]'),
        ("MASTHEAD_MIRROR_TARGETS", "{local: /srv/mirror}"),
        ("MASTHEAD_MIRROR_WORKERS", "0"),
        ("MASTHEAD_MIRROR_STALE_HOURS", "a day"),
        ("MASTHEAD_SYNDICATION_CACHE_SECONDS", "-1"),
        ("MASTHEAD_FEEDS_FULL_TEXT", "full"),
        ("AXES_COOLOFF_HOURS", "15 minutes"),
        ("LOG_LEVEL", "LOUD"),
        ("DATABASE_URL", "mysqlx://masthead@db/masthead"),
        ("DATABASE_URL", "postgres://masthead@db:port/masthead"),
    ],
)
def test_a_bad_value_for_a_real_variable_stops_the_settings_naming_it(load_settings, name, value):
    with pytest.raises(ImproperlyConfigured, match=rf"^{name} "):
        load_settings(**{name: value})


def test_the_documented_defaults(load_settings, tmp_path):
    """The defaults the README's tables state, with no variable set."""
    conf = load_settings()
    assert conf["DEBUG"] is False
    assert conf["PRIMARY_URL"] == "http://127.0.0.1:8000"
    assert conf["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
    assert conf["DATABASES"]["default"]["NAME"] == str(tmp_path / "masthead.sqlite3")
    assert conf["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert conf["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert conf["MAX_UPLOAD_MB"] == 20
    assert conf["IMPORT_MAX_BODY_MB"] == 2
    assert conf["WAGTAILDOCS_MAX_UPLOAD_SIZE"] == 50 * 1024 * 1024
    assert conf["WAGTAILDOCS_EXTENSIONS"] == [
        *("pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "csv", "txt"),
        *("ppt", "pptx", "odp", "epub", "vtt"),
    ]
    assert conf["MAX_VIDEO_MB"] == 2048
    assert conf["WAGTAILIMAGES_MAX_IMAGE_PIXELS"] == 64_000_000
    assert conf["MASTHEAD_CDN_MAX_AGE"] == 300
    assert conf["MASTHEAD_BROWSER_MAX_AGE"] == 60
    assert conf["WAGTAILFRONTENDCACHE"] == {}
    assert conf["MASTHEAD_FEEDS_FULL_TEXT"] is False
    assert conf["MASTHEAD_SYNDICATION_CACHE_SECONDS"] is None  # 60 s on local memory
    assert conf["MASTHEAD_MIRROR_TARGETS"] == {}
    assert conf["MASTHEAD_MIRROR_SIGNING_KEY"] is None
    assert conf["MASTHEAD_MIRROR_PUBLIC_KEY"] is None
    assert conf["MASTHEAD_MIRROR_KEEP_VERSIONS"] == 3
    assert conf["MASTHEAD_MIRROR_STALE_HOURS"] == 24
    assert conf["MASTHEAD_MIRROR_WORK_DIR"] == tmp_path / "mirror-build"
    assert conf["MASTHEAD_MIRROR_WORKERS"] == 1
    assert conf["AXES_IPWARE_PROXY_COUNT"] is None


def test_an_empty_database_url_means_the_default_sqlite_file(load_settings, tmp_path):
    # dj_database_url.config() read an empty DATABASE_URL as a database without an ENGINE.
    database = load_settings(DATABASE_URL="")["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(tmp_path / "masthead.sqlite3")


def test_a_bad_database_url_keeps_its_password_out_of_the_error(load_settings):
    with pytest.raises(ImproperlyConfigured) as caught:
        load_settings(DATABASE_URL="postgres://masthead:hunter2@db:port/masthead")
    assert "hunter2" not in str(caught.value)


def test_app_settings_come_from_the_environment_through_base(load_settings):
    conf = load_settings(
        MASTHEAD_MIRROR_TARGETS='{"local": {"BACKEND": "x.LocalDirectory", "PATH": "/m"}}',
        MASTHEAD_MIRROR_STALE_HOURS="1.5",
        MASTHEAD_MIRROR_WORKERS="4",
        MASTHEAD_FEEDS_FULL_TEXT="yes",
        MASTHEAD_SYNDICATION_CACHE_SECONDS="0",
        MASTHEAD_PRIMARY_URL="https://news.example/",
        MASTHEAD_IMPORT_MAX_BODY_MB="5",
        MASTHEAD_MAX_DOCUMENT_MB="20",
        MASTHEAD_DOCUMENT_EXTENSIONS="PDF, .txt",
        MASTHEAD_MAX_VIDEO_MB="4096",
    )
    assert conf["WAGTAILDOCS_MAX_UPLOAD_SIZE"] == 20 * 1024 * 1024
    assert conf["WAGTAILDOCS_EXTENSIONS"] == ["pdf", "txt"]
    assert conf["MAX_VIDEO_MB"] == 4096
    assert conf["IMPORT_MAX_BODY_MB"] == 5
    assert conf["MASTHEAD_MIRROR_TARGETS"]["local"]["PATH"] == "/m"
    assert conf["MASTHEAD_MIRROR_STALE_HOURS"] == 1.5
    assert conf["MASTHEAD_MIRROR_WORKERS"] == 4
    assert conf["MASTHEAD_FEEDS_FULL_TEXT"] is True
    assert conf["MASTHEAD_SYNDICATION_CACHE_SECONDS"] == 0
    assert conf["PRIMARY_URL"] == "https://news.example"


def test_the_console_script_exits_non_zero_naming_the_bad_variable(tmp_path):
    """`masthead check` with a typo in the environment: one line saying which and why."""
    script = Path(sys.executable).with_name("masthead")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "masthead.settings.base",
        "MASTHEAD_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
        "SECRET_KEY": "check-test",
    }
    env.pop("MASTHEAD_CDN_MAX_AGE", None)
    good = subprocess.run([script, "check"], env=env, capture_output=True, text=True, cwd=REPO)
    assert good.returncode == 0, good.stderr
    bad = subprocess.run(
        [script, "check"],
        env={**env, "MASTHEAD_CDN_MAX_AGE": "abc"},
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert bad.returncode != 0
    assert "MASTHEAD_CDN_MAX_AGE must be a whole number of seconds" in bad.stderr
    assert "'abc'" in bad.stderr
    assert "Traceback" not in bad.stderr


# Where the environment is read.


def environment_reads(path):
    """(line, code) of each read of os.environ or os.getenv in a module.

    Two uses are not reads of configuration: naming the settings module before Django
    starts (`os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)`) and passing the whole
    environment on to a child process (`{**os.environ, ...}`).
    """
    source = path.read_text()
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            if {alias.name for alias in node.names} & {"environ", "getenv", "environb"}:
                found.append((node.lineno, ast.get_source_segment(source, node)))
            continue
        if not (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
            and node.attr in {"environ", "getenv", "environb"}
        ):
            continue
        parent = parents.get(node)
        spread = isinstance(parent, ast.Dict) and any(
            key is None and value is node
            for key, value in zip(parent.keys, parent.values, strict=True)
        )
        call = parents.get(parent)
        names_settings_module = (
            isinstance(parent, ast.Attribute)
            and parent.attr == "setdefault"
            and isinstance(call, ast.Call)
            and call.args
            and isinstance(call.args[0], ast.Constant)
            and call.args[0].value == "DJANGO_SETTINGS_MODULE"
        )
        if not (spread or names_settings_module):
            found.append((node.lineno, ast.get_source_segment(source, parents.get(node, node))))
    return sorted(found)


def test_no_module_outside_settings_reads_the_environment():
    offenders = [
        f"{path.relative_to(REPO)}:{line}: {code}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if SETTINGS_DIR not in path.parents
        for line, code in environment_reads(path)
    ]
    assert offenders == [], "read these in masthead/settings/base.py:\n" + "\n".join(offenders)


def test_the_detector_sees_the_usual_ways_of_reading(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text(
        "import os\nfrom os import getenv\n"
        "a = os.environ.get('A')\nb = os.environ['B']\nc = os.getenv('C')\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x')\nenv = {**os.environ, 'D': '1'}\n"
    )
    assert [line for line, _ in environment_reads(module)] == [2, 3, 4, 5]


def test_base_settings_read_the_environment_only_through_the_helpers():
    """So every variable's error names it: no int(os.environ.get(...)) in base.py."""
    assert environment_reads(BASE_SETTINGS) == []
    assert not re.search(r"^import os$", BASE_SETTINGS.read_text(), re.MULTILINE)


def test_every_variable_the_settings_read_is_in_the_readme():
    readme = README.read_text()
    undocumented = [name for name in variables_read_in_base_settings() if f"`{name}`" not in readme]
    assert undocumented == []
