from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/<slug:figure>.<slug:fmt>", views.export, name="export"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("case-files/<int:case_file_id>/phase/", views.change_phase, name="change_phase"),
    path("phase-targets/", views.phase_targets, name="phase_targets"),
    path("paper/", views.paper_exchanges, name="paper_exchanges"),
]
urlpatterns += [
    path("reports/", views.reports, name="reports"),
    path("reports/<int:report_id>/", views.report, name="report"),
    path("reports/<int:report_id>/pdf", views.report_pdf, name="report_pdf"),
    path("attention-points/", views.attention_points, name="attention_points"),
]
