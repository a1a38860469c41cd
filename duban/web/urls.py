from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles.views import serve as serve_static
from django.urls import path, re_path

from duban.web.jobs import views as jobs
from duban.web.views import api, directory, plans, supervision, workspace


def static(request, path):
    # Served by the application itself, DEBUG or not: offline networks have no CDN and often no nginx.
    return serve_static(request, path, insecure=True)


urlpatterns = [
    path("", workspace.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="duban/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="duban/password.html", success_url="/"),
        name="password_change",
    ),
    path("plans/", plans.plan_list, name="plan_list"),
    path("jobs/<int:job_id>/", jobs.job_page, name="job"),
    path("jobs/<int:job_id>/status/", jobs.job_status, name="job_status"),
    path("jobs/<int:job_id>/cancel/", jobs.job_cancel, name="job_cancel"),
    path("plans/import/", plans.import_notice, name="plan_import"),
    path("plans/<int:plan_id>/review/", plans.plan_review, name="plan_review"),
    path("plans/<int:plan_id>/tasks/<int:task_id>/units/", plans.task_units, name="task_units"),
    path("plans/<int:plan_id>/publish/", plans.plan_publish, name="plan_publish"),
    path("plans/<int:plan_id>/tasks/<int:task_id>/edit/", plans.task_edit, name="task_edit"),
    path("plans/<int:plan_id>/discard/", plans.plan_discard, name="plan_discard"),
    path("plans/<int:plan_id>/", supervision.dashboard, name="dashboard"),
    path("plans/<int:plan_id>/urge/", supervision.urge, name="urge"),
    path("plans/<int:plan_id>/urges/", supervision.urges, name="urges"),
    path("plans/<int:plan_id>/reports/", supervision.report_queue, name="report_queue"),
    path("plans/<int:plan_id>/inspections/", supervision.inspections, name="inspections"),
    path("plans/<int:plan_id>/inspections/<int:inspection_id>/findings/", supervision.finding_add, name="finding_add"),
    path("plans/<int:plan_id>/changes/", supervision.changes, name="changes"),
    path("changes/<int:change_id>/decide/", supervision.change_decide, name="change_decide"),
    path("audit/", supervision.audit_log, name="audit"),
    path("units/", directory.units, name="units"),
    path("plans/<int:plan_id>/rounds/", directory.rounds, name="rounds"),
    path("workspace/", workspace.workspace, name="workspace"),
    path("workspace/<int:plan_id>/", workspace.workspace, name="workspace_plan"),
    path("tasks/<int:task_id>/", workspace.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/ledger/", workspace.ledger_edit, name="ledger_edit"),
    path("tasks/<int:task_id>/rounds/<int:round_id>/report/", workspace.report_open, name="report_open"),
    path("tasks/<int:task_id>/rounds/<int:round_id>/contribution/", workspace.contribute, name="contribute"),
    path("tasks/<int:task_id>/change/", workspace.change_request, name="change_request"),
    path("reports/<int:report_id>/", workspace.report_detail, name="report_detail"),
    path("reports/<int:report_id>/attachments/", workspace.attachment_upload, name="attachment_upload"),
    path("attachments/<int:attachment_id>/", workspace.attachment_download, name="attachment_download"),
    path("api/openapi.json", api.openapi, name="api_openapi"),
    path("api/plans", api.plans, name="api_plans"),
    path("api/plans/<int:plan_id>/tasks", api.plan_tasks, name="api_plan_tasks"),
    path("api/tasks/<int:task_id>", api.task, name="api_task"),
    path("api/reports", api.report_push, name="api_report_push"),
    path("api/reports/<int:report_id>", api.report, name="api_report"),
    path("admin/", admin.site.urls),
    re_path(r"^static/(?P<path>.*)$", static),
]

# Word and Excel (issue 5): downloads, a unit's ledger upload, round bulletins.
from duban.web.views import downloads  # noqa: E402

urlpatterns += [
    path("plans/<int:plan_id>/files/", downloads.files, name="files"),
    path("plans/<int:plan_id>/files/notice.docx", downloads.notice, name="file_notice"),
    path("plans/<int:plan_id>/files/plan.xlsx", downloads.plan_table, name="file_plan"),
    path("plans/<int:plan_id>/files/yearend.docx", downloads.yearend, name="file_yearend"),
    path("plans/<int:plan_id>/files/units/<int:unit_id>/ledger.xlsx", downloads.unit_ledger, name="file_unit_ledger"),
    path("plans/<int:plan_id>/files/units/<int:unit_id>/yearend.docx", downloads.unit_yearend, name="file_yearend_of"),
    path("plans/<int:plan_id>/ledger-import/", downloads.ledger_import, name="ledger_import"),
    path("plans/<int:plan_id>/rounds/<int:round_id>/bulletin/", downloads.bulletin, name="bulletin"),
    path("plans/<int:plan_id>/rounds/<int:round_id>/bulletin.docx", downloads.bulletin_docx, name="bulletin_docx"),
]
