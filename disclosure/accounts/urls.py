from django.contrib import admin
from django.urls import path

from disclosure.accounts import views

app_name = "accounts"

urlpatterns = [
    path("two-factor/", admin.site.admin_view(views.two_factor), name="two_factor"),
]
