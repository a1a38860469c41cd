"""Who may see and do what. Every view and API call goes through here.

The rules (issue 4, §7): a unit sees and edits only its own ledgers and
reports, and reads the tasks it supports; heads sign off their own unit's
reports; the supervision office sees the whole government; leaders read the
sections they are in charge of; nobody reaches another government at all.
Objects a user may not see are reported as missing (404), so an id in a URL
reveals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.http import Http404

from duban.web.models import Assignment, Membership, Plan, ProgressReport, Task, Unit

OFFICE_ROLES = (Membership.SUPERVISOR, Membership.ADMIN)
UNIT_ROLES = (Membership.UNIT_STAFF, Membership.UNIT_HEAD)


class Denied(Exception):
    """Seen but not allowed (403)."""


@dataclass
class Actor:
    user: object
    membership: Membership | None

    @classmethod
    def of(cls, user) -> Actor:
        membership = None
        if getattr(user, "is_authenticated", False):
            membership = Membership.objects.select_related("unit", "government").filter(user=user).first()
        return cls(user, membership)

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def government_id(self):
        return self.membership.government_id if self.membership else None

    @property
    def unit_id(self):
        return self.membership.unit_id if self.membership else None

    @property
    def is_office(self) -> bool:
        return self.role in OFFICE_ROLES

    @property
    def is_unit(self) -> bool:
        return self.role in UNIT_ROLES and self.unit_id is not None

    @property
    def is_leader(self) -> bool:
        return self.role == Membership.LEADER

    @cached_property
    def acting_as(self) -> list[int]:
        """The unit itself and the collectives it belongs to (城关镇 acts for 各镇人民政府)."""
        if not self.is_unit:
            return []
        return [
            self.unit_id,
            *Unit.members.through.objects.filter(to_unit_id=self.unit_id).values_list("from_unit_id", flat=True),
        ]

    # -- plans and tasks ---------------------------------------------------

    def plans(self):
        if not self.membership:
            return Plan.objects.none()
        qs = Plan.objects.filter(government_id=self.government_id)
        if not self.is_office:
            qs = qs.filter(status=Plan.PUBLISHED)
        return qs

    def plan(self, plan_id) -> Plan:
        plan = self.plans().filter(pk=plan_id).first()
        if plan is None:
            raise Http404("没有这份计划")
        return plan

    def tasks(self, plan: Plan | None = None):
        qs = Task.objects.filter(plan__in=self.plans())
        if plan is not None:
            qs = qs.filter(plan=plan)
        if self.is_office:
            return qs
        if self.is_leader:
            return qs.filter(section__area__in=self.membership.sections) if self.membership.sections else qs.none()
        if self.is_unit:
            return qs.filter(assignments__unit_id__in=self.acting_as).distinct()
        return qs.none()

    def task(self, task_id) -> Task:
        task = self.tasks().filter(pk=task_id).first()
        if task is None:
            raise Http404("没有这项任务")
        return task

    def role_on(self, task: Task) -> str | None:
        """This unit's strongest role on the task: lead/responsible before support/monitor."""
        if not self.is_unit:
            return None
        roles = set(Assignment.objects.filter(task=task, unit_id__in=self.acting_as).values_list("role", flat=True))
        for role in ("lead", "responsible", "support", "monitor"):
            if role in roles:
                return role
        return None

    def reports_on(self, task: Task) -> bool:
        return self.role_on(task) in ("lead", "responsible")

    def files_figures(self, task: Task) -> bool:
        """A monitor (监测) reports the figures of the task's indicators, nothing else."""
        return bool(task.indicators) and self.role_on(task) == "monitor"

    # -- reports -------------------------------------------------------------

    def reports(self):
        qs = ProgressReport.objects.filter(task__in=self.tasks())
        if self.is_office:
            return qs
        if self.is_leader:
            # Leaders read what units have sent, not their drafts.
            return qs.filter(state__in=(ProgressReport.SUBMITTED, ProgressReport.ACCEPTED))
        if self.is_unit:
            return qs.filter(unit_id=self.unit_id)
        return qs.none()

    def report(self, report_id) -> ProgressReport:
        report = self.reports().select_related("task", "unit", "round").filter(pk=report_id).first()
        if report is None:
            raise Http404("没有这份报告")
        return report

    # -- actions ---------------------------------------------------------------

    def require(self, allowed: bool, why: str = "没有权限") -> None:
        if not allowed:
            raise Denied(why)

    def can_edit_report(self, report: ProgressReport) -> bool:
        return self.is_unit and report.unit_id == self.unit_id and report.editable

    def can_sign_off(self, report: ProgressReport) -> bool:
        return (
            self.role == Membership.UNIT_HEAD
            and report.unit_id == self.unit_id
            and report.state == ProgressReport.AWAITING_HEAD
        )

    def can_review(self, report: ProgressReport) -> bool:
        return self.is_office and report.state == ProgressReport.SUBMITTED

    def can_edit_ledger(self, task: Task) -> bool:
        return self.reports_on(task)

    def can_contribute(self, task: Task) -> bool:
        return self.role_on(task) == "support"

    # -- accounts (issue 11) ----------------------------------------------------------------------------
    # A government's administrator manages its own government's accounts, nobody else's.

    @property
    def is_admin(self) -> bool:
        return self.role == Membership.ADMIN

    @property
    def is_site_admin(self) -> bool:
        return is_site_admin(self.user)

    def accounts(self):
        """The memberships this actor may manage: its own government's, for its administrators only."""
        if not self.is_admin:
            return Membership.objects.none()
        return Membership.objects.filter(government_id=self.government_id)

    def account(self, user_id) -> Membership:
        membership = self.accounts().select_related("user", "unit").filter(user_id=user_id).first()
        if membership is None:
            raise Http404("没有这个账号")
        return membership

    # -- governments below, read only (issue 11) -------------------------------------------------
    # The office of a parent government (a province's) reads the published plans of the governments
    # below it: their dashboards and coverage, never a write.  These are the only methods that reach
    # past the actor's own government, and no write checks them: ``plans()``, ``tasks()`` and every
    # ``can_*`` stay on the actor's own government, so nothing below (and nothing of a sibling or a
    # parent) can be edited through them.

    @cached_property
    def below_ids(self) -> list[int]:
        """The governments below the actor's, for its office; empty for everyone else."""
        if not self.is_office:
            return []
        return self.membership.government.descendant_ids()

    def below_government(self, government_id):
        from duban.web.models import Government

        if government_id not in self.below_ids:
            raise Http404("没有这个下级政府")
        return Government.objects.get(pk=government_id)

    def parent_task(self, parent_task_id):
        """A 上级交办 task of the actor's own government."""
        from duban.web.models import ParentTask

        found = ParentTask.objects.select_related("task__plan__government").filter(
            pk=parent_task_id, government_id=self.government_id
        )
        if not found:
            raise Http404("没有这项上级交办任务")
        return found[0]

    def coverage_link(self, link_id):
        """A link between a 上级交办 task and one of the actor's own government's tasks."""
        from duban.web.models import CoverageLink

        found = CoverageLink.objects.select_related("parent_task__task__plan").filter(
            pk=link_id, parent_task__government_id=self.government_id
        )
        if not found:
            raise Http404("没有这条承接关系")
        return found[0]

    def below_plan(self, plan_id) -> Plan:
        """A published plan of a government below, to read."""
        plan = Plan.objects.filter(pk=plan_id, government_id__in=self.below_ids, status=Plan.PUBLISHED).first()
        if plan is None:
            raise Http404("没有这份计划")
        return plan


def is_site_admin(user) -> bool:
    """The installation's administrator (a Django superuser): creates governments, alone reaches /admin/."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))
