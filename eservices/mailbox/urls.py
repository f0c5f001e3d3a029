from django.urls import path

from . import views

app_name = "mailbox"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:mailbox_id>/", views.mailbox, name="mailbox"),
    path("<int:mailbox_id>/messages/<int:message_id>/", views.message, name="message"),
    path("<int:mailbox_id>/messages/<int:message_id>/archive/", views.archive, name="archive"),
    path(
        "<int:mailbox_id>/messages/<int:message_id>/documents/<int:document_id>/",
        views.download,
        name="download",
    ),
]
