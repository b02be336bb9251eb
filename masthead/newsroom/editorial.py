"""The newsroom's roles and its review workflow, set up the same way on every install.

Three groups:

- Writers create stories and upload photos. They hold only Wagtail's "add" page
  permission under Home, which lets them edit (and delete while still drafts) the pages
  they own, never a colleague's, and never publish, unpublish or move a live page.
  Their route to readers is "Submit for review".
- Editors edit, publish, unpublish, lock and unlock any page under Home, manage images
  and documents, the mirror registry and the publication settings, and approve the
  "Editorial review" workflow.
- Administrators hold every permission, users and groups included.

Wagtail's own migrations create "Editors" (add/edit, no publish) and "Moderators"
(publish) groups with rights on the tree root and a "Moderators approval" workflow. We
adopt them rather than leave look-alikes behind: Wagtail's Editors become our Writers and
its Moderators become our Editors, with rights narrowed to the Home page.

`apply_editorial_setup(apps)` takes an app registry so the data migration can run it
against historical models; the `setup_newsroom` command runs it against the live ones.
It converges: running it again changes nothing.
"""

from django.contrib.auth.management import create_permissions

WRITERS = "Writers"
EDITORS = "Editors"
ADMINISTRATORS = "Administrators"
WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Editors approval"

# Wagtail's default names (wagtailcore 0002_initial_data and 0048_add_default_workflows).
WAGTAIL_EDITORS = "Editors"
WAGTAIL_MODERATORS = "Moderators"
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"

# Page permission types (wagtail.models.PAGE_PERMISSION_TYPES), granted on the Home page.
WRITER_PAGE_PERMISSIONS = ["add"]
EDITOR_PAGE_PERMISSIONS = ["add", "change", "publish", "lock", "unlock"]
ALL_PAGE_PERMISSIONS = ["add", "bulk_delete", "change", "lock", "publish", "unlock"]

# Collection permissions on the root collection, so they cover every collection.
WRITER_COLLECTION_PERMISSIONS = {"wagtailimages.image": ["add", "choose"]}
EDITOR_COLLECTION_PERMISSIONS = {
    "wagtailimages.image": ["add", "change", "delete", "choose"],
    "wagtaildocs.document": ["add", "change", "delete", "choose"],
}
ALL_COLLECTION_PERMISSIONS = EDITOR_COLLECTION_PERMISSIONS

# Model-wide Django permissions ("app_label.codename").
ADMIN_ACCESS = "wagtailadmin.access_admin"
WRITER_PERMISSIONS = [ADMIN_ACCESS]
EDITOR_PERMISSIONS = [
    ADMIN_ACCESS,
    "mirrors.add_mirror",
    "mirrors.change_mirror",
    "mirrors.delete_mirror",
    "mirrors.view_mirror",
    "publication.change_publicationsettings",
    # The live stream's address and schedule are editorial, like the front page.
    "tv.change_livestreamsettings",
]


def ensure_permissions(apps):
    """Create Permission rows now: Django only adds them after `migrate` has finished."""
    from django.apps import apps as global_apps

    for app_config in global_apps.get_app_configs():
        try:
            apps.get_app_config(app_config.label)
        except LookupError:
            continue
        create_permissions(app_config, apps=apps, verbosity=0)


def permission(apps, dotted):
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def adopt_or_create_group(Group, name, wagtail_name):
    """Return the group `name`, renaming Wagtail's default `wagtail_name` into it if present."""
    group = Group.objects.filter(name=name).first()
    if group is None:
        group = Group.objects.filter(name=wagtail_name).first()
        if group is not None:
            group.name = name
            group.save()
        else:
            group = Group.objects.create(name=name)
    return group


def set_page_permissions(apps, group, page, types):
    """Give `group` exactly these page permissions, on `page` only."""
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    wanted = [permission(apps, f"wagtailcore.{kind}_page") for kind in types]
    GroupPagePermission.objects.filter(group=group).exclude(
        page=page, permission__in=wanted
    ).delete()
    for perm in wanted:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=perm)


def set_collection_permissions(apps, group, collection, by_model):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    wanted = [
        permission(apps, f"{model.split('.')[0]}.{kind}_{model.split('.')[1]}")
        for model, kinds in by_model.items()
        for kind in kinds
    ]
    GroupCollectionPermission.objects.filter(group=group).exclude(
        collection=collection, permission__in=wanted
    ).delete()
    for perm in wanted:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=perm
        )


def setup_groups(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    HomePage = apps.get_model("news", "HomePage")

    # Order matters: Wagtail's "Editors" must become Writers before Moderators take the name.
    writers = adopt_or_create_group(Group, WRITERS, WAGTAIL_EDITORS)
    editors = adopt_or_create_group(Group, EDITORS, WAGTAIL_MODERATORS)
    admins, _ = Group.objects.get_or_create(name=ADMINISTRATORS)

    writers.permissions.set([permission(apps, p) for p in WRITER_PERMISSIONS])
    editors.permissions.set([permission(apps, p) for p in EDITOR_PERMISSIONS])
    admins.permissions.set(Permission.objects.all())

    root = Page.objects.filter(depth=1).first()
    home = HomePage.objects.order_by("pk").first()
    if home is not None:
        set_page_permissions(apps, writers, home, WRITER_PAGE_PERMISSIONS)
        set_page_permissions(apps, editors, home, EDITOR_PAGE_PERMISSIONS)
    if root is not None:
        set_page_permissions(apps, admins, root, ALL_PAGE_PERMISSIONS)

    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        set_collection_permissions(apps, writers, root_collection, WRITER_COLLECTION_PERMISSIONS)
        set_collection_permissions(apps, editors, root_collection, EDITOR_COLLECTION_PERMISSIONS)
        set_collection_permissions(apps, admins, root_collection, ALL_COLLECTION_PERMISSIONS)
    return writers, editors, admins


def setup_workflow(apps, editors):
    """One workflow, one task: an editor approves (and so publishes) what a writer submits."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("news", "HomePage")

    workflow = (
        Workflow.objects.filter(name=WORKFLOW_NAME).first()
        or Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW).first()
        or Workflow(name=WORKFLOW_NAME)
    )
    workflow.name, workflow.active = WORKFLOW_NAME, True
    workflow.save()

    task = (
        GroupApprovalTask.objects.filter(name=TASK_NAME).first()
        or GroupApprovalTask.objects.filter(name=f"{WAGTAIL_MODERATORS} approval").first()
    )
    if task is None:
        # Historical models lack Task.save()'s content type bookkeeping, so set it here.
        task_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask(content_type=task_type)
    task.name, task.active = TASK_NAME, True
    task.save()
    task.groups.set([editors])

    WorkflowTask.objects.filter(workflow=workflow).exclude(task=task).delete()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    home = HomePage.objects.order_by("pk").first()
    if home is not None:
        WorkflowPage.objects.update_or_create(page_id=home.pk, defaults={"workflow": workflow})
    # Wagtail hung its default workflow on the tree root; review is the Home page's now.
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        WorkflowPage.objects.filter(page_id=root.pk, workflow=workflow).delete()
    return workflow


def apply_editorial_setup(apps):
    ensure_permissions(apps)
    writers, editors, admins = setup_groups(apps)
    setup_workflow(apps, editors)
    return writers, editors, admins
