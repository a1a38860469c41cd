from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from duban.web.jobs import views as jobs
from duban.web.security import PasswordChangeView
from duban.web.views import accounts as account_views
from duban.web.views import amend, api, bulletins, directory, downloads, ops, plans, supervision, workspace
from duban.web.views import cascade as cascade_views
from duban.web.views import reminders as reminder_views
from duban.web.views import yoy as yoy_views

# Static files are served by the application itself (WhiteNoise, see settings): offline networks have no CDN.

urlpatterns = [
    path("", workspace.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="duban/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path("healthz", ops.healthz, name="healthz"),
    path("plans/", plans.plan_list, name="plan_list"),
    path("jobs/<int:job_id>/", jobs.job_page, name="job"),
    path("jobs/<int:job_id>/status/", jobs.job_status, name="job_status"),
    path("jobs/<int:job_id>/cancel/", jobs.job_cancel, name="job_cancel"),
    path("jobs/<int:job_id>/file/", jobs.job_file, name="job_file"),
    path("plans/import/", plans.import_notice, name="plan_import"),
    path("plans/<int:plan_id>/review/", amend.plan_review, name="plan_review"),
    path("plans/<int:plan_id>/header/", amend.plan_header, name="plan_header"),
    path("plans/<int:plan_id>/tasks/<int:task_id>/units/", amend.task_units, name="task_units"),
    path("plans/<int:plan_id>/tasks/<int:task_id>/tools/", amend.task_tools, name="task_tools"),
    path("plans/<int:plan_id>/tasks/<int:task_id>/row/", amend.task_row, name="task_row"),
    path("plans/<int:plan_id>/tasks/<int:task_id>/edit/", amend.task_edit, name="task_edit"),
    path("plans/<int:plan_id>/publish/", plans.plan_publish, name="plan_publish"),
    path("plans/<int:plan_id>/discard/", plans.plan_discard, name="plan_discard"),
    path("plans/<int:plan_id>/", supervision.dashboard, name="dashboard"),
    path(
        "plans/<int:plan_id>/sections/<int:section_id>/tasks/", supervision.dashboard_section, name="dashboard_section"
    ),
    path("plans/<int:plan_id>/urge/", supervision.urge, name="urge"),
    path("plans/<int:plan_id>/urges/", supervision.urges, name="urges"),
    path("plans/<int:plan_id>/reports/", supervision.report_queue, name="report_queue"),
    path("plans/<int:plan_id>/inspections/", supervision.inspections, name="inspections"),
    path("plans/<int:plan_id>/inspections/<int:inspection_id>/findings/", supervision.finding_add, name="finding_add"),
    path("plans/<int:plan_id>/changes/", supervision.changes, name="changes"),
    path("changes/<int:change_id>/decide/", supervision.change_decide, name="change_decide"),
    path("audit/", supervision.audit_log, name="audit"),
    path("units/", directory.units, name="units"),
    path("plans/<int:plan_id>/rounds/", amend.rounds, name="rounds"),
    path("workspace/", workspace.workspace, name="workspace"),
    path("workspace/<int:plan_id>/", workspace.workspace, name="workspace_plan"),
    path("tasks/<int:task_id>/", workspace.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/ledger/", workspace.ledger_edit, name="ledger_edit"),
    path("ledgers/<int:ledger_id>/step/", workspace.ledger_step, name="ledger_step"),
    path("ledgers/<int:ledger_id>/milestone-change/", workspace.milestone_change, name="milestone_change"),
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
    re_path(r"^api/", api.not_found),  # any other /api/ address answers in JSON too
    path("admin/", admin.site.urls),
]

handler400 = "duban.web.views.errors.bad_request"
handler403 = "duban.web.views.errors.permission_denied"
handler404 = "duban.web.views.errors.page_not_found"
handler500 = "duban.web.views.errors.server_error"

# Word and Excel (issue 5): downloads, a unit's ledger upload, round bulletins.

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
    path("bulletins/", bulletins.bulletin_list, name="bulletin_list"),
    path("plans/<int:plan_id>/bulletins/", bulletins.bulletin_list, name="bulletin_list_plan"),
    path("bulletins/<int:bulletin_id>/", bulletins.bulletin_read, name="bulletin_read"),
    path("bulletins/<int:bulletin_id>.docx", bulletins.bulletin_file, name="bulletin_file"),
]

# Reminders and notifications (issue 10).

urlpatterns += [
    path("notices/", reminder_views.notices, name="notices"),
    path("reminders/", reminder_views.settings_page, name="reminder_settings"),
    path("reminders/run/", reminder_views.run_now, name="reminder_run"),
    path("reminders/channels/<int:channel_id>/", reminder_views.channel_edit, name="reminder_channel"),
    path("reminders/deliveries/<int:delivery_id>/retry/", reminder_views.delivery_retry, name="delivery_retry"),
    path("plans/<int:plan_id>/urge-bulk/", reminder_views.urge_bulk, name="urge_bulk"),
]

# Governments in a tree and their accounts (issue 11).

urlpatterns += [
    path("governments/", account_views.governments, name="governments"),
    path("accounts/", account_views.accounts, name="accounts"),
    path("accounts/<int:user_id>/", account_views.account_edit, name="account_edit"),
]

# 上级交办 (issue 11): coverage of the parent's tasks, the province's roll-up, a city read-only.

urlpatterns += [
    path("coverage/", cascade_views.coverage, name="coverage"),
    path("coverage/suggest/", cascade_views.coverage_suggest, name="coverage_suggest"),
    path("coverage/<int:parent_task_id>/", cascade_views.coverage_row, name="coverage_row"),
    path("coverage/<int:parent_task_id>/link/", cascade_views.coverage_link, name="coverage_link"),
    path("coverage/<int:parent_task_id>/add/", cascade_views.coverage_add, name="coverage_add"),
    path(
        "coverage/links/<int:link_id>/confirm/",
        cascade_views.coverage_decide,
        {"decision": "confirm"},
        name="coverage_confirm",
    ),
    path(
        "coverage/links/<int:link_id>/reject/",
        cascade_views.coverage_decide,
        {"decision": "reject"},
        name="coverage_reject",
    ),
    path("rollup/", cascade_views.rollup, name="rollup"),
    path("below/plans/<int:plan_id>/", cascade_views.city_view, name="city_view"),
]

# Several plans a year and year over year (issue 11).

urlpatterns += [
    path("plans/<int:plan_id>/yoy/", yoy_views.yoy, name="yoy"),
    path("plans/<int:plan_id>/yoy.xlsx", yoy_views.yoy_xlsx, name="file_yoy"),
]
