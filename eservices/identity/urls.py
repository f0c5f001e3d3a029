from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/oidc/", views.oidc_start, name="oidc_start"),
    path("login/staff/", views.staff_login, name="staff_login"),
    path("login/staff/code/", views.staff_login_code, name="staff_login_code"),
    path("logout/", views.logout, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("representations/new/", views.request_representation, name="request_representation"),
    path("representations/<int:pk>/end/", views.end_representation, name="end_representation"),
]
