from django.apps import AppConfig


class ParConfig(AppConfig):
    name = "cchc.par"
    label = "par"
    verbose_name = "Chỉ số cải cách hành chính"

    def ready(self) -> None:
        from cchc.core.demo import DEMO_LOADERS
        from cchc.par.demo import load_criteria_sets

        if load_criteria_sets not in DEMO_LOADERS:
            DEMO_LOADERS.append(load_criteria_sets)
