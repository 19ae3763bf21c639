from django.urls import path

from . import views

app_name = "growth"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # The year is a query parameter: ?year=2026.
    path("report/", views.report, name="report"),
    path("report/csv/", views.report_csv, name="report_csv"),
]
