from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("alerts/new/", views.new, name="new"),
    path("alerts/sent/", views.sent, name="sent"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alerts/manage/<str:token>/", views.manage, name="manage"),
    path("alerts/manage/<str:token>/data.json", views.data, name="data"),
]
