from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "hub.reviews"
    label = "reviews"
    verbose_name = "Reviews and ratings"
