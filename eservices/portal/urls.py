from django.urls import path

from . import alerts, deposits, my_data, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("case-files/", views.case_file_list, name="case_files"),
    path("case-files/<int:case_file_id>/", views.case_file_detail, name="case_file"),
    path("case-files/<int:case_file_id>/consultations/", views.consultations, name="consultations"),
    path("case-files/<int:case_file_id>/documents.zip", views.download_all, name="download_all"),
    path("documents/<int:document_id>/download", views.download, name="download"),
    path("access-requests/", views.access_requests, name="access_requests"),
    path("access-requests/new/", views.request_access, name="request_access"),
    path("access-requests/<int:request_id>/", views.access_request_detail, name="access_request"),
    path("deposits/", deposits.deposit_list, name="deposit_list"),
    path("deposits/new/", deposits.deposit_new, name="deposit_new"),
    path("deposits/<str:number>/", deposits.deposit_detail, name="deposit_detail"),
    path("deposits/<str:number>/proof-of-deposit.pdf", deposits.deposit_receipt, name="deposit_receipt"),
    path("verify/", deposits.verify, name="verify"),
    path("verify/email/", alerts.verify_email, name="verify_email"),
    path("my-data/", my_data.my_data, name="my_data"),
    path("my-data/page/", my_data.my_data_page, name="my_data_page"),
    path("my-data/export.json", my_data.export, name="my_data_export"),
]
