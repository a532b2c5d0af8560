from django.urls import path

from . import views

app_name = "reminders"

# Mounted under plans/reminders/ (careerpath/urls.py): the address every sent email links to.
urlpatterns = [
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
