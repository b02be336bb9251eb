"""The editorial groups: who may do what, and that setting them up twice changes nothing."""

from django.apps import apps
from django.contrib.auth.models import Group
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
)
from wagtail.permissions import policy_registry

from masthead.newsroom.editorial import apply_editorial_setup
from tests.people import assert_refused, make_writer

image_policy = policy_registry.get_by_type(get_image_model())
document_policy = policy_registry.get_by_type(get_document_model())


def snapshot():
    """Everything the setup controls, as comparable plain data."""
    return {
        "groups": sorted(
            (g.name, tuple(sorted(g.permissions.values_list("codename", flat=True))))
            for g in Group.objects.all()
        ),
        "pages": sorted(
            GroupPagePermission.objects.values_list(
                "group__name", "page_id", "permission__codename"
            )
        ),
        "collections": sorted(
            GroupCollectionPermission.objects.values_list(
                "group__name", "collection_id", "permission__codename"
            )
        ),
        "workflows": sorted(Workflow.objects.values_list("name", "active")),
        "assignments": sorted(WorkflowPage.objects.values_list("page_id", "workflow__name")),
        "tasks": sorted(
            (t.name, tuple(t.groups.values_list("name", flat=True)))
            for t in GroupApprovalTask.objects.all()
        ),
    }


def test_three_groups_replace_wagtails_defaults(home):
    assert set(Group.objects.values_list("name", flat=True)) == {
        "Writers",
        "Editors",
        "Administrators",
    }


def test_review_workflow_is_assigned_to_home_with_one_editor_task(home):
    workflow = Workflow.objects.get()
    assert workflow.name == "Editorial review"
    assert WorkflowPage.objects.get().page_id == home.pk
    (task,) = [wt.task.specific for wt in workflow.workflow_tasks.all()]
    assert isinstance(task, GroupApprovalTask)
    assert list(task.groups.values_list("name", flat=True)) == ["Editors"]
    assert home.get_workflow() == workflow


def test_setup_is_idempotent(home):
    before = snapshot()
    apply_editorial_setup(apps)
    apply_editorial_setup(apps)
    assert snapshot() == before


def test_setup_repairs_a_loosened_group(home):
    before = snapshot()
    writers = Group.objects.get(name="Writers")
    GroupPagePermission.objects.create(group=writers, page=home, permission_type="publish")
    apply_editorial_setup(apps)
    assert snapshot() == before


def test_writer_edits_only_own_pages_and_never_publishes(iraq, writer, make_article):
    colleague = make_writer("colleague")
    theirs_live = make_article(section=iraq, owner=colleague)
    theirs_draft = make_article(section=iraq, owner=colleague, live=False)
    mine = make_article(section=iraq, owner=writer, live=False)

    assert iraq.permissions_for_user(writer).can_add_subpage()
    for page in (theirs_live, theirs_draft):
        perms = page.permissions_for_user(writer)
        assert not perms.can_edit()
        assert not perms.can_delete()
        assert not perms.can_move()
        assert not perms.can_publish()
        assert not perms.can_lock()
    assert not theirs_live.permissions_for_user(writer).can_unpublish()

    own = mine.permissions_for_user(writer)
    assert own.can_edit()
    assert not own.can_publish()
    assert own.can_submit_for_moderation()
    # A section is live and not theirs: writers cannot move or delete structure.
    assert not iraq.permissions_for_user(writer).can_delete()


def test_editor_publishes_unpublishes_and_locks_any_page(iraq, editor, make_article):
    story = make_article(section=iraq, owner=make_writer("someone"))
    perms = story.permissions_for_user(editor)
    assert perms.can_edit()
    assert perms.can_publish()
    assert perms.can_unpublish()
    assert perms.can_lock()
    assert perms.can_unlock()


def test_media_rights(writer, editor, make_image):
    photo = make_image()  # owned by nobody in particular
    assert image_policy.user_has_permission(writer, "add")
    assert image_policy.user_has_permission(writer, "choose")
    assert not image_policy.user_has_permission_for_instance(writer, "change", photo)
    assert not image_policy.user_has_permission_for_instance(writer, "delete", photo)
    assert not document_policy.user_has_permission(writer, "add")

    assert image_policy.user_has_permission_for_instance(editor, "delete", photo)
    document = get_document_model()(title="Statement")
    assert document_policy.user_has_permission(editor, "add")
    assert document_policy.user_has_permission_for_instance(editor, "change", document)


def test_model_permissions(writer, editor, administrator):
    assert writer.has_perm("wagtailadmin.access_admin")
    assert not writer.has_perm("mirrors.change_mirror")
    assert not writer.has_perm("publication.change_publicationsettings")
    assert not writer.has_perm("tv.change_livestreamsettings")

    assert editor.has_perm("mirrors.add_mirror")
    assert editor.has_perm("mirrors.change_mirror")
    assert editor.has_perm("publication.change_publicationsettings")
    assert editor.has_perm("tv.change_livestreamsettings")
    assert not editor.has_perm("auth.add_user")
    assert not editor.has_perm("auth.change_group")

    for perm in (
        "auth.add_user",
        "auth.change_user",
        "auth.change_group",
        "wagtailcore.add_workflow",
    ):
        assert administrator.has_perm(perm)


def test_admin_screens_follow_the_roles(writer_client, editor_client, administrator, client):
    client.force_login(administrator)
    assert client.get("/admin/users/").status_code == 200
    assert_refused(editor_client.get("/admin/users/"))
    assert editor_client.get("/admin/snippets/mirrors/mirror/").status_code == 200
    assert_refused(writer_client.get("/admin/snippets/mirrors/mirror/"))
    assert writer_client.get("/admin/images/").status_code == 200
    assert_refused(writer_client.get("/admin/documents/"))
    settings_url = "/admin/settings/publication/publicationsettings/"
    # Wagtail redirects the bare settings URL to the default site's form; a refusal would
    # land on the dashboard instead.
    response = editor_client.get(settings_url, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"].startswith(settings_url), response.redirect_chain
    assert_refused(writer_client.get(settings_url))


def test_writer_is_refused_others_pages_over_http(writer_client, iraq, make_article):
    story = make_article(section=iraq, owner=make_writer("colleague"))
    for action in ("edit", "unpublish", "delete", "move", "lock", "copy"):
        url = f"/admin/pages/{story.pk}/{action}/"
        get = writer_client.get(url)
        if action == "lock":
            assert get.status_code == 405  # lock takes POST only
        else:
            assert_refused(get)
        post = writer_client.post(url)
        assert_refused(post)
    story.refresh_from_db()
    assert story.live
    assert not story.locked
    assert story.get_parent().pk == iraq.pk
