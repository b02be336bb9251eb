"""A writer's story reaches readers only through an editor's approval."""

from django.urls import reverse
from wagtail.models import WorkflowState

from masthead.news.models import ArticlePage
from tests.people import assert_refused

from .admin_forms import article_form


def add_url(section):
    return reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))


def writer_submits(writer_client, iraq, slug="ceasefire"):
    data = article_form("Ceasefire holds", slug, paragraphs=["<p>Calm returned.</p>"])
    data["action-submit"] = "Submit for review"
    response = writer_client.post(add_url(iraq), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    return ArticlePage.objects.get(slug=slug)


def test_writer_submit_starts_editorial_review(writer_client, writer, iraq):
    article = writer_submits(writer_client, iraq)
    assert not article.live
    assert article.owner == writer
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Editorial review"
    assert state.current_task_state.task.name == "Editors approval"


def test_writer_publish_is_refused(writer_client, iraq):
    data = article_form("Quietly published", "quiet", paragraphs=["<p>Nobody saw.</p>"])
    data["action-publish"] = "Publish"
    writer_client.post(add_url(iraq), data)
    article = ArticlePage.objects.get(slug="quiet")
    # Wagtail falls back to saving a draft when the user may not publish.
    assert not article.live
    assert article.live_revision is None
    edit = writer_client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    assert edit.status_code == 200
    assert b'name="action-publish"' not in edit.content
    assert b'name="action-submit"' in edit.content

    data["action-publish"] = "Publish"
    writer_client.post(reverse("wagtailadmin_pages:edit", args=(article.pk,)), data)
    article.refresh_from_db()
    assert not article.live


def test_editor_approval_publishes(writer_client, editor_client, iraq):
    article = writer_submits(writer_client, iraq)
    task_state = WorkflowState.objects.get(object_id=str(article.pk)).current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "approve", task_state.pk))
    response = editor_client.post(url, {"comment": "Good to go"})
    assert response.status_code in (200, 302)
    article.refresh_from_db()
    assert article.live
    assert article.first_published_at is not None
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_APPROVED


def test_writer_cannot_approve_own_story(writer_client, iraq):
    article = writer_submits(writer_client, iraq)
    task_state = WorkflowState.objects.get(object_id=str(article.pk)).current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "approve", task_state.pk))
    response = writer_client.post(url, {"comment": ""})
    assert_refused(response)
    article.refresh_from_db()
    assert not article.live


def test_editor_sees_the_story_awaiting_review(writer_client, editor_client, iraq):
    writer_submits(writer_client, iraq)
    dashboard = editor_client.get("/admin/")
    assert dashboard.status_code == 200
    assert "Ceasefire holds" in dashboard.content.decode()
