from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.AssessmentHomeView.as_view(), name="home"),
    path("start/", views.ResponseStartView.as_view(), name="start"),
    path("<id:pk>/section/<id:order>/", views.SectionView.as_view(), name="section"),
    path("<id:pk>/review/", views.ReviewView.as_view(), name="review"),
    path("<id:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("results/<id:pk>/", views.ResultView.as_view(), name="result"),
    path("results/compare/", views.ResultCompareView.as_view(), name="compare"),
]
