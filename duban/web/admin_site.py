"""Django's /admin/ for the site administrator alone (issue 11).

Django lets in any active ``is_staff`` user; duban lets in only an active superuser — the installation's
administrator, who belongs to no government.  A government's administrator manages its accounts in the
application (``/accounts/``) and is never staff; anyone else signed in who opens /admin/ gets a 403.
"""

from __future__ import annotations

import functools

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import render


class SiteAdminSite(admin.AdminSite):
    site_header = "督办 · 系统管理"
    site_title = "督办系统管理"

    def has_permission(self, request):
        from duban.web.access import is_site_admin

        return is_site_admin(request.user)

    def _refuse(self, request):
        return render(request, "duban/forbidden.html", {"why": "Django 后台只对系统管理员开放"}, status=403)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @functools.wraps(view)
        def guard(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                return self._refuse(request)
            return inner(request, *args, **kwargs)

        return guard

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and not self.has_permission(request):
            return self._refuse(request)
        return super().login(request, extra_context)


class DubanAdminConfig(AdminConfig):
    default_site = "duban.web.admin_site.SiteAdminSite"
