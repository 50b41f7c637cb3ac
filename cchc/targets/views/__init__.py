"""Reform targets' back-office views: one module per screen group, each with its
``urlpatterns`` (and ``menu_item()`` where it has a menu entry)."""
