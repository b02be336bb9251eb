"""`masthead check` names a mirror target that cannot work, before the first publish."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from masthead.mirrors.checks import check_targets


def ids(settings, targets):
    settings.MASTHEAD_MIRROR_TARGETS = targets
    return [(problem.id, problem.msg) for problem in check_targets()]


def test_good_targets_pass(settings, tmp_path):
    assert (
        ids(
            settings,
            {
                "local": {
                    "BACKEND": "masthead.mirrors.targets.LocalDirectory",
                    "PATH": str(tmp_path),
                },
                "bucket": {"BACKEND": "masthead.mirrors.targets.S3Bucket", "BUCKET": "news"},
                "default-backend": {"PATH": str(tmp_path)},
            },
        )
        == []
    )


def test_a_backend_that_cannot_be_imported_names_the_target(settings):
    [(problem_id, message)] = ids(settings, {"bucket": {"BACKEND": "masthead.no.S3"}})
    assert problem_id == "mirrors.E002"
    assert message.startswith("Mirror target 'bucket': its BACKEND 'masthead.no.S3' cannot")


def test_other_mistakes(settings):
    found = ids(
        settings,
        {
            "a": {"BACKEND": "os.path.join"},
            "b": {"BACKEND": "masthead.mirrors.targets.S3Bucket"},
            "c": {"BACKEND": "masthead.mirrors.targets.LocalDirectory", "PATH": ""},
            "d": "not an object",
            "e": {"PATH": "/srv/e", "PUBLIC_URL": "ftp://mirror.example/"},
        },
    )
    assert found == [
        ("mirrors.E003", "Mirror target 'a': 'os.path.join' is not a mirror target class."),
        ("mirrors.E004", "Mirror target 'b' has no BUCKET option."),
        ("mirrors.E004", "Mirror target 'c' has no PATH option."),
        ("mirrors.E001", "Mirror target 'd': its options must be an object."),
        (
            "mirrors.E005",
            "mirror target 'e': PUBLIC_URL 'ftp://mirror.example/' is not an http:// or "
            "https:// address ending with / (without ? or #), e.g. 'https://mirror.example/' "
            "or 'https://bucket.example/news/'; fix it in MASTHEAD_MIRROR_TARGETS",
        ),
    ]


def test_the_check_command_fails_on_them(settings):
    settings.MASTHEAD_MIRROR_TARGETS = {"bucket": {"BACKEND": "masthead.no.S3"}}
    with pytest.raises(SystemCheckError, match="mirrors.E002"):
        call_command("check")
