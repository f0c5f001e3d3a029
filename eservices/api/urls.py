from django.urls import path

from . import docs, tokens, views

app_name = "api"

urlpatterns = [
    path("schema/", docs.Schema.as_view(), name="schema"),
    path("docs/", docs.ApiDocs.as_view(), name="docs"),
    path("oauth/token/", tokens.TokenView.as_view(), name="token"),
    path("case-files/", views.CaseFileList.as_view(), name="case_files"),
    path("case-files/<int:pk>/", views.CaseFileDetail.as_view(), name="case_file"),
    path("case-files/<int:case_file>/parties/", views.PartyList.as_view(), name="parties"),
    path("case-files/<int:case_file>/documents/", views.DocumentList.as_view(), name="documents"),
    path("documents/<int:pk>/content/", views.DocumentContent.as_view(), name="document_content"),
    path("notifications/", views.NotificationList.as_view(), name="notifications"),
    path("notifications/<int:pk>/evidence/", views.NotificationEvidence.as_view(), name="notification_evidence"),
    path("deposits/", views.DepositList.as_view(), name="deposits"),
    path("deposits/<int:pk>/", views.DepositDetail.as_view(), name="deposit"),
    path("deposits/<int:pk>/files/<int:position>/", views.DepositFileContent.as_view(), name="deposit_file"),
    path("deposits/<int:pk>/receipt/", views.DepositReceipt.as_view(), name="deposit_receipt"),
    path("deposits/<int:pk>/acknowledge/", views.DepositAcknowledge.as_view(), name="deposit_acknowledge"),
    path("access-requests/", views.AccessRequestList.as_view(), name="access_requests"),
    path("access-requests/<int:pk>/decision/", views.AccessRequestDecision.as_view(), name="access_request_decision"),
    path("representations/", views.RepresentationList.as_view(), name="representations"),
    path("evidence/", views.EvidenceFeed.as_view(), name="evidence_feed"),
]
