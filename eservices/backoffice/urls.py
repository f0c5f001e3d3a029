from django.urls import path

from . import deposits, identity_views, views

app_name = "backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("case-files/", views.case_file_list, name="case_files"),
    path("case-files/new/", views.case_file_create, name="case_file_create"),
    path("case-files/<int:case_file_id>/", views.case_file_detail, name="case_file"),
    path("case-files/<int:case_file_id>/edit/", views.case_file_edit, name="case_file_edit"),
    path("case-files/<int:case_file_id>/delete/", views.case_file_delete, name="case_file_delete"),
    path("case-files/<int:case_file_id>/parties/", views.party_add, name="party_add"),
    path("case-files/<int:case_file_id>/documents/", views.document_add, name="document_add"),
    path("case-files/<int:case_file_id>/history/", views.case_file_history, name="case_file_history"),
    path("case-files/<int:case_file_id>/documents.zip", views.case_file_download_all, name="download_all"),
    path("documents/<int:document_id>/visibility/", views.document_visibility, name="document_visibility"),
    path("documents/<int:document_id>/download", views.document_download_view, name="download"),
    path("grants/<int:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("access-requests/", views.request_queue, name="access_requests"),
    path("access-requests/<int:request_id>/", views.request_detail, name="access_request"),
    path(
        "access-requests/<int:request_id>/documents/<int:document_id>",
        views.supporting_document,
        name="supporting_document",
    ),
    path("representations/", identity_views.representations, name="representations"),
    path("representations/<int:pk>/document/", identity_views.representation_document, name="representation_document"),
    path("representations/<int:pk>/decide/", identity_views.decide_representation, name="decide_representation"),
    path("memberships/", identity_views.memberships, name="memberships"),
    path("memberships/<int:pk>/", identity_views.change_membership, name="change_membership"),
    path("deposits/", deposits.deposit_queue, name="deposit_queue"),
    path("deposits/<str:number>/", deposits.deposit_detail, name="deposit_detail"),
    path("deposits/<str:number>/files/<int:position>/", deposits.deposit_file, name="deposit_file"),
    path("deposits/<str:number>/files/<int:position>/attach/", deposits.deposit_attach, name="deposit_attach"),
    path("deposits/<str:number>/acknowledge/", deposits.deposit_acknowledge, name="deposit_acknowledge"),
]
