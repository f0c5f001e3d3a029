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
