from django.urls import path

from units import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("<slug:code>/", views.unit_detail, name="unit_detail"),
]
