from django.urls import path

from . import views

app_name = "editorial"
urlpatterns = [
    path("", views.feedback, name="feedback"),
    path("vote/", views.vote, name="vote"),
    path("thanks/", views.feedback_thanks, name="feedback_thanks"),
]
